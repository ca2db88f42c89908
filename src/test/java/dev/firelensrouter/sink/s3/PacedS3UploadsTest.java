package dev.firelensrouter.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.sink.RequestRateCap;
import dev.firelensrouter.testing.Await;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PacedS3UploadsTest {
  private static final long SECOND = 1_000_000_000L;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final AtomicLong now = new AtomicLong(SECOND);
  private final CountingUploads s3 = new CountingUploads();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void callsBeyondTheAccountCapWaitUntilItAllowsThem() {
    PacedS3Uploads paced = new PacedS3Uploads(s3, new RequestRateCap(2, 0), scheduler, now::get);

    CompletableFuture<Void> a = paced.putObject("a", Path.of("a"), 1);
    CompletableFuture<String> b = paced.createMultipart("b");
    CompletableFuture<String> c = paced.uploadPart("c", "id", 1, ByteBuffer.allocate(1));

    assertThat(s3.calls.get()).isEqualTo(2);
    assertThat(a).isDone();
    assertThat(b).isDone();
    assertThat(c).isNotDone();

    now.addAndGet(SECOND);
    Await.until(Duration.ofSeconds(5), c::isDone, () -> "calls " + s3.calls.get());
    assertThat(s3.calls.get()).isEqualTo(3);
    assertThat(c.join()).isEqualTo("etag-c");
  }

  @Test
  void aDrainingOutputIsNoLongerPaced() {
    PacedS3Uploads paced = new PacedS3Uploads(s3, new RequestRateCap(1, 0), scheduler, now::get);
    paced.complete("a", "id", List.of());
    assertThat(paced.abort("b", "id")).isNotDone();

    paced.draining();

    assertThat(paced.abort("c", "id")).isDone();
    assertThat(s3.calls.get()).isEqualTo(2);
  }

  /** Answers every call at once and counts them. */
  private static final class CountingUploads implements S3Uploads {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public CompletableFuture<Void> putObject(String key, Path file, long length) {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<String> createMultipart(String key) {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture("upload-" + key);
    }

    @Override
    public CompletableFuture<String> uploadPart(
        String key, String uploadId, int partNumber, Path file, long offset, long length) {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture("etag-" + key);
    }

    @Override
    public CompletableFuture<String> uploadPart(
        String key, String uploadId, int partNumber, ByteBuffer bytes) {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture("etag-" + key);
    }

    @Override
    public CompletableFuture<Void> complete(String key, String uploadId, List<Part> parts) {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> abort(String key, String uploadId) {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture(null);
    }
  }
}
