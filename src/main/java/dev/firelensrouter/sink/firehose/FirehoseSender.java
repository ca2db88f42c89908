package dev.firelensrouter.sink.firehose;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.firelensrouter.aws.AwsErrors;
import dev.firelensrouter.aws.EncodedBody;
import dev.firelensrouter.sink.BatchSender;
import dev.firelensrouter.sink.EntryResult;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseAsyncClient;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchRequest;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * PutRecordBatch: at most 500 records and 4 MiB per call, where the 4 MiB is the request AWS
 * receives: each record base64-encoded inside its JSON member (as Fluent Bit and Vector count it),
 * not the raw bytes, which would let 4 MiB of data become a 5.6 MiB request. With {@code aggregate:
 * true} consecutive small entries share one Firehose record up to the record limit (Firehose bills
 * each record in 5 KB steps). HTTP 200 with {@code FailedPutCount > 0} retries only the entries of
 * the records that carry an {@code ErrorCode}, never the whole batch.
 */
final class FirehoseSender implements BatchSender<FirehoseEntry> {
  static final int MAX_RECORDS = 500;

  /** {@code {"Data":"..."},} around each record's base64. */
  static final int RECORD_FRAMING = 12;

  /** The request's own JSON around the records, with room for the longest stream name. */
  static final int REQUEST_FRAMING = 128;

  /** What one record adds to the request: its base64 and its JSON member. */
  static int encodedSize(int length) {
    return 4 * ((length + 2) / 3) + RECORD_FRAMING;
  }

  /** One Firehose record of a request: pieces of one or more entries. */
  private record Planned(List<Integer> entries, List<Integer> pieces) {}

  private final FirehoseAsyncClient client;
  private final boolean aggregate;

  /** Per delivery stream (the partition): {@code {"DeliveryStreamName":"<stream>","Records":[}. */
  private final Map<String, byte[]> streamMembers = new ConcurrentHashMap<>();

  FirehoseSender(FirehoseAsyncClient client, boolean aggregate) {
    this.client = client;
    this.aggregate = aggregate;
  }

  /** How every body to {@code stream} starts. */
  private byte[] streamMember(String stream) {
    return streamMembers.computeIfAbsent(
        stream,
        s -> {
          byte[] name = JsonStringEncoder.getInstance().quoteAsUTF8(s);
          byte[] member = new byte[name.length + 36];
          int at = put(member, 0, ascii("{\"DeliveryStreamName\":\""));
          at = put(member, at, name);
          put(member, at, ascii("\",\"Records\":["));
          return member;
        });
  }

  @Override
  public int size(FirehoseEntry entry) {
    return entry.encodedSize();
  }

  /** Entries per batch; with aggregation many share a record, and {@link #fits} counts records. */
  @Override
  public int maxBatchCount() {
    return aggregate ? 100 * MAX_RECORDS : MAX_RECORDS;
  }

  @Override
  public long maxBatchBytes() {
    return 4L * 1024 * 1024 - REQUEST_FRAMING;
  }

  /** The longest run from the front that makes at most 500 Firehose records. */
  @Override
  public BitSet select(List<FirehoseEntry> batch) {
    BitSet chosen = new BitSet(batch.size());
    chosen.set(0, fits(batch));
    return chosen;
  }

  private int fits(List<FirehoseEntry> batch) {
    int records = 0;
    int open = -1; // bytes in the aggregated record being filled; -1: none
    for (int i = 0; i < batch.size(); i++) {
      FirehoseEntry e = batch.get(i);
      int add;
      if (aggregate && e.isWhole()) {
        int len = e.piece(0).length;
        if (open >= 0 && open + len <= FirehoseRecords.MAX_RECORD) {
          open += len;
          add = 0;
        } else {
          open = len;
          add = 1;
        }
      } else {
        open = -1;
        add = e.pendingPieces();
      }
      if (records + add > MAX_RECORDS) {
        return i;
      }
      records += add;
    }
    return batch.size();
  }

  @Override
  public EntryResult failure(Throwable error) {
    return AwsErrors.entryResult(error);
  }

  @Override
  public CompletableFuture<List<EntryResult>> send(String stream, List<FirehoseEntry> batch) {
    List<Planned> plan = plan(batch);
    List<byte[]> data = new ArrayList<>(plan.size());
    List<Record> records = new ArrayList<>(plan.size());
    for (Planned p : plan) {
      byte[] d = data(batch, p);
      data.add(d);
      records.add(Record.builder().data(SdkBytes.fromByteArrayUnsafe(d)).build());
    }
    PutRecordBatchRequest request =
        PutRecordBatchRequest.builder()
            .deliveryStreamName(stream)
            .records(records)
            .overrideConfiguration(
                o -> o.putExecutionAttribute(EncodedBody.BODY, body(stream, data)))
            .build();
    return client
        .putRecordBatch(request)
        .thenApply(response -> results(batch, plan, response.requestResponses()));
  }

  /**
   * The PutRecordBatch body as the SDK would write it, {@code
   * {"DeliveryStreamName":..,"Records":[{"Data":"<base64>"},..]}}, with each record's base64 from
   * {@link Base64}: the SDK's own JSON writer took a quarter of the router's CPU at 50k records/s.
   */
  byte[] body(String stream, List<byte[]> records) {
    byte[] streamMember = streamMember(stream);
    int size = streamMember.length + 2;
    int longest = 0;
    for (byte[] d : records) {
      size += encodedSize(d.length);
      longest = Math.max(longest, d.length);
    }
    byte[] out = new byte[size - 1]; // no comma before the first record
    System.arraycopy(streamMember, 0, out, 0, streamMember.length);
    int at = streamMember.length;
    // The JDK encodes only to the start of an array: one scratch array for the whole request, not
    // one per record.
    byte[] encoded = new byte[4 * ((longest + 2) / 3)];
    Base64.Encoder base64 = Base64.getEncoder();
    for (int i = 0; i < records.size(); i++) {
      at = put(out, at, i == 0 ? DATA_OPEN_FIRST : DATA_OPEN);
      int n = base64.encode(records.get(i), encoded);
      System.arraycopy(encoded, 0, out, at, n);
      at = put(out, at + n, DATA_CLOSE);
    }
    out[at++] = ']';
    out[at++] = '}';
    if (at != out.length) {
      throw new IllegalStateException("PutRecordBatch body of " + at + " bytes, sized " + size);
    }
    return out;
  }

  private static int put(byte[] out, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, out, at, bytes.length);
    return at + bytes.length;
  }

  private static final byte[] DATA_OPEN_FIRST = ascii("{\"Data\":\"");
  private static final byte[] DATA_OPEN = ascii(",{\"Data\":\"");
  private static final byte[] DATA_CLOSE = ascii("\"}");

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private List<Planned> plan(List<FirehoseEntry> batch) {
    List<Planned> plan = new ArrayList<>();
    Planned open = null;
    int openBytes = 0;
    for (int i = 0; i < batch.size(); i++) {
      FirehoseEntry e = batch.get(i);
      if (aggregate && e.isWhole()) {
        int len = e.piece(0).length;
        if (open == null || openBytes + len > FirehoseRecords.MAX_RECORD) {
          open = new Planned(new ArrayList<>(), new ArrayList<>());
          openBytes = 0;
          plan.add(open);
        }
        open.entries().add(i);
        open.pieces().add(0);
        openBytes += len;
        continue;
      }
      open = null;
      for (int piece = 0; piece < e.pieceCount(); piece++) {
        if (!e.isAccepted(piece)) {
          plan.add(new Planned(List.of(i), List.of(piece)));
        }
      }
    }
    return plan;
  }

  private static byte[] data(List<FirehoseEntry> batch, Planned p) {
    if (p.entries().size() == 1) {
      return batch.get(p.entries().get(0)).piece(p.pieces().get(0));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int k = 0; k < p.entries().size(); k++) {
      out.writeBytes(batch.get(p.entries().get(k)).piece(p.pieces().get(k)));
    }
    return out.toByteArray();
  }

  private static List<EntryResult> results(
      List<FirehoseEntry> batch, List<Planned> plan, List<PutRecordBatchResponseEntry> answers) {
    EntryResult[] results = new EntryResult[batch.size()];
    for (int r = 0; r < plan.size(); r++) {
      PutRecordBatchResponseEntry a = r < answers.size() ? answers.get(r) : null;
      Planned p = plan.get(r);
      for (int k = 0; k < p.entries().size(); k++) {
        int i = p.entries().get(k);
        if (a != null && a.errorCode() == null) {
          batch.get(i).accept(p.pieces().get(k));
        } else {
          String code = a == null ? "MissingResponseEntry" : a.errorCode();
          results[i] = new EntryResult.Retry(code, "ServiceUnavailableException".equals(code));
        }
      }
    }
    for (int i = 0; i < results.length; i++) {
      if (results[i] == null) {
        results[i] = EntryResult.DELIVERED;
      }
    }
    return List.of(results);
  }
}
