package dev.firelensrouter.sink.firehose;

import dev.firelensrouter.aws.AwsErrors;
import dev.firelensrouter.sink.BatchSender;
import dev.firelensrouter.sink.EntryResult;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseAsyncClient;
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
  private final String stream;
  private final boolean aggregate;

  FirehoseSender(FirehoseAsyncClient client, String stream, boolean aggregate) {
    this.client = client;
    this.stream = stream;
    this.aggregate = aggregate;
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
  public CompletableFuture<List<EntryResult>> send(String partition, List<FirehoseEntry> batch) {
    List<Planned> plan = plan(batch);
    List<Record> records = new ArrayList<>(plan.size());
    for (Planned p : plan) {
      records.add(Record.builder().data(data(batch, p)).build());
    }
    return client
        .putRecordBatch(r -> r.deliveryStreamName(stream).records(records))
        .thenApply(response -> results(batch, plan, response.requestResponses()));
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

  private static SdkBytes data(List<FirehoseEntry> batch, Planned p) {
    if (p.entries().size() == 1) {
      return SdkBytes.fromByteArrayUnsafe(batch.get(p.entries().get(0)).piece(p.pieces().get(0)));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int k = 0; k < p.entries().size(); k++) {
      out.writeBytes(batch.get(p.entries().get(k)).piece(p.pieces().get(k)));
    }
    return SdkBytes.fromByteArrayUnsafe(out.toByteArray());
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
