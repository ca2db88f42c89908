package dev.firelensrouter.sink.firehose;

import dev.firelensrouter.aws.AwsErrors;
import dev.firelensrouter.sink.BatchSender;
import dev.firelensrouter.sink.EntryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseAsyncClient;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * PutRecordBatch: at most 500 records and 4 MiB per call, where the 4 MiB is the request AWS
 * receives: each record base64-encoded inside its JSON member (as Fluent Bit and Vector count it),
 * not the raw bytes, which would let a batch of 4 MiB of data become a 5.6 MiB request. HTTP 200
 * with {@code FailedPutCount > 0} retries only the records whose entry carries an {@code
 * ErrorCode}, never the whole batch.
 */
final class FirehoseSender implements BatchSender<byte[]> {
  private final FirehoseAsyncClient client;
  private final String stream;

  FirehoseSender(FirehoseAsyncClient client, String stream) {
    this.client = client;
    this.stream = stream;
  }

  /** {@code {"Data":"..."},} around each record's base64. */
  static final int RECORD_FRAMING = 12;

  /** The request's own JSON around the records, with room for the longest stream name. */
  static final int REQUEST_FRAMING = 128;

  /** What one record adds to the request: its base64 and its JSON member. */
  static int encodedSize(int length) {
    return 4 * ((length + 2) / 3) + RECORD_FRAMING;
  }

  @Override
  public int size(byte[] entry) {
    return encodedSize(entry.length);
  }

  @Override
  public int maxBatchCount() {
    return 500;
  }

  @Override
  public long maxBatchBytes() {
    return 4L * 1024 * 1024 - REQUEST_FRAMING;
  }

  @Override
  public EntryResult failure(Throwable error) {
    return AwsErrors.isPermanent(error)
        ? new EntryResult.Fail(AwsErrors.code(error))
        : new EntryResult.Retry(AwsErrors.code(error), AwsErrors.isThrottle(error));
  }

  @Override
  public CompletableFuture<List<EntryResult>> send(String partition, List<byte[]> batch) {
    List<Record> records = new ArrayList<>(batch.size());
    for (byte[] b : batch) {
      records.add(Record.builder().data(SdkBytes.fromByteArrayUnsafe(b)).build());
    }
    return client
        .putRecordBatch(r -> r.deliveryStreamName(stream).records(records))
        .thenApply(
            response -> {
              List<EntryResult> results = new ArrayList<>(batch.size());
              List<PutRecordBatchResponseEntry> entries = response.requestResponses();
              for (int i = 0; i < batch.size(); i++) {
                PutRecordBatchResponseEntry e = i < entries.size() ? entries.get(i) : null;
                if (e != null && e.errorCode() == null) {
                  results.add(EntryResult.DELIVERED);
                } else {
                  String code = e == null ? "MissingResponseEntry" : e.errorCode();
                  results.add(
                      new EntryResult.Retry(code, "ServiceUnavailableException".equals(code)));
                }
              }
              return results;
            });
  }
}
