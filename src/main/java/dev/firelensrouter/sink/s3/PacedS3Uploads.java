package dev.firelensrouter.sink.s3;

import dev.firelensrouter.sink.RequestRateCap;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@link S3Uploads} held to the account-level {@code service.aws_requests_per_second.s3} cap, which
 * every S3 output of the process shares: each call (PutObject, CreateMultipartUpload, UploadPart,
 * Complete, Abort) is one request and waits, on the scheduler, until the cap lets it go. Once the
 * output drains the cap no longer applies, as for the other AWS outputs, so the grace period is
 * spent uploading, not waiting.
 */
final class PacedS3Uploads implements S3Uploads {
  private final S3Uploads s3;
  private final RequestRateCap cap;
  private final ScheduledExecutorService scheduler;
  private final LongSupplier nanos;
  private volatile boolean draining;

  PacedS3Uploads(
      S3Uploads s3, RequestRateCap cap, ScheduledExecutorService scheduler, LongSupplier nanos) {
    this.s3 = s3;
    this.cap = cap;
    this.scheduler = scheduler;
    this.nanos = nanos;
  }

  @Override
  public void draining() {
    draining = true;
    s3.draining();
  }

  @Override
  public CompletableFuture<Void> putObject(String key, Path file, long length) {
    return paced(() -> s3.putObject(key, file, length));
  }

  @Override
  public CompletableFuture<String> createMultipart(String key) {
    return paced(() -> s3.createMultipart(key));
  }

  @Override
  public CompletableFuture<String> uploadPart(
      String key, String uploadId, int partNumber, Path file, long offset, long length) {
    return paced(() -> s3.uploadPart(key, uploadId, partNumber, file, offset, length));
  }

  @Override
  public CompletableFuture<String> uploadPart(
      String key, String uploadId, int partNumber, ByteBuffer bytes) {
    return paced(() -> s3.uploadPart(key, uploadId, partNumber, bytes));
  }

  @Override
  public CompletableFuture<Void> complete(String key, String uploadId, List<Part> parts) {
    return paced(() -> s3.complete(key, uploadId, parts));
  }

  @Override
  public CompletableFuture<Void> abort(String key, String uploadId) {
    return paced(() -> s3.abort(key, uploadId));
  }

  private <T> CompletableFuture<T> paced(Supplier<CompletableFuture<T>> call) {
    long wait = draining ? 0 : cap.tryAcquire(nanos.getAsLong(), 0);
    if (wait == 0) {
      return call.get();
    }
    CompletableFuture<T> out = new CompletableFuture<>();
    scheduler.schedule(
        () -> {
          try {
            paced(call)
                .whenComplete(
                    (v, e) -> {
                      if (e != null) {
                        out.completeExceptionally(e);
                      } else {
                        out.complete(v);
                      }
                    });
          } catch (RuntimeException e) {
            out.completeExceptionally(e);
          }
        },
        wait,
        TimeUnit.NANOSECONDS);
    return out;
  }
}
