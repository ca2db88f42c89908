package dev.firelensrouter.sink.s3;

import dev.firelensrouter.sink.Backoff;
import dev.firelensrouter.sink.DestinationContext;
import dev.firelensrouter.sink.DestinationState;
import dev.firelensrouter.sink.OutputMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sealed objects waiting for upload, at most {@link #MAX_CONCURRENT} uploading at once (each backs
 * off on its own when S3 says SlowDown, so one stuck upload never holds back the others), and what
 * an upload's outcome does to the metrics and the staging files.
 */
final class UploadQueue implements ObjectUpload.Listener {
  static final int MAX_CONCURRENT = 4;
  private static final Logger LOG = LoggerFactory.getLogger(UploadQueue.class);

  private final S3Uploads s3;
  private final S3Config config;
  private final DestinationContext context;
  private final OutputMetrics metrics;
  private final S3Metrics.Output s3Metrics;
  private final StagingSpace space;
  private final Backoff backoff;
  private final Consumer<DestinationState> state;
  private final Deque<StagedObject> waiting = new ArrayDeque<>();
  private final Set<StagedObject> running = new HashSet<>();
  private String lastFailure = "";

  UploadQueue(
      S3Uploads s3,
      S3Config config,
      DestinationContext context,
      S3Metrics.Output s3Metrics,
      StagingSpace space,
      Backoff backoff,
      Consumer<DestinationState> state) {
    this.s3 = s3;
    this.config = config;
    this.context = context;
    this.metrics = context.metrics();
    this.s3Metrics = s3Metrics;
    this.space = space;
    this.backoff = backoff;
    this.state = state;
  }

  void submit(StagedObject object) {
    synchronized (this) {
      waiting.add(object);
    }
    pump();
  }

  private void pump() {
    while (true) {
      ObjectUpload next;
      synchronized (this) {
        if (running.size() >= MAX_CONCURRENT || waiting.isEmpty()) {
          return;
        }
        StagedObject o = waiting.poll();
        running.add(o);
        metrics.sent(o.records());
        next = new ObjectUpload(o, s3, config, context.scheduler(), backoff, this);
      }
      next.start();
    }
  }

  /** Records in objects waiting or uploading. */
  synchronized long pendingRecords() {
    long n = 0;
    for (StagedObject o : waiting) {
      n += o.records();
    }
    for (StagedObject o : running) {
      n += o.records();
    }
    return n;
  }

  synchronized int pending() {
    return waiting.size() + running.size();
  }

  synchronized long oldestCreatedMillis(long now) {
    long oldest = now;
    for (StagedObject o : waiting) {
      oldest = Math.min(oldest, o.meta().createdMillis());
    }
    for (StagedObject o : running) {
      oldest = Math.min(oldest, o.meta().createdMillis());
    }
    return oldest;
  }

  /** Waits until nothing is waiting or uploading, or {@code timeout} passes. */
  synchronized void awaitEmpty(Duration timeout) {
    long end = System.nanoTime() + Math.max(0, timeout.toNanos());
    while (!(waiting.isEmpty() && running.isEmpty())) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void uploaded(StagedObject object, int attempts) {
    try {
      object.delete();
    } catch (IOException e) {
      LOG.warn(
          "output {}: uploaded {} but cannot delete its staging file",
          context.name(),
          object.key(),
          e);
    }
    metrics.request("success");
    metrics.inFlightDelivered(object.records());
    metrics.latencySeconds(
        Math.max(0, context.clock().millis() - object.meta().createdMillis()) / 1000.0);
    s3Metrics.upload("success");
    s3Metrics.uploadedBytes(object.bytes());
    space.add(-object.bytes());
    state.accept(DestinationState.HEALTHY);
    finished(object);
  }

  @Override
  public void failed(StagedObject object, S3Failure failure, int attempt) {
    metrics.request(failure.kind() == S3Failure.Kind.THROTTLED ? "throttled" : "error");
    metrics.retried(object.records());
    s3Metrics.upload("retry");
    String detail =
        "bucket " + config.bucket() + ", object " + object.key() + ": " + failure.describe();
    synchronized (this) {
      lastFailure = detail;
    }
    state.accept(
        failure.kind() == S3Failure.Kind.THROTTLED
            ? DestinationState.throttled(detail)
            : DestinationState.failing(detail));
  }

  /**
   * Out of attempts: the object's lines go to the dead-letter file one by one, as every output's
   * do, and the staging files are removed. If the staged file cannot be read back, it is moved
   * whole under {@code dead-letter/s3/<output>/} instead, so nothing is silently thrown away.
   */
  @Override
  public void gaveUp(StagedObject object, S3Failure failure) {
    String reason = failure.code();
    long written = 0;
    try {
      written = deadLetterLines(object, reason);
      object.delete();
      LOG.error(
          "output {}: gave up uploading {} ({} records) after {}; its records are in {}",
          context.name(),
          object.key(),
          object.records(),
          failure.describe(),
          context.deadLetters().path());
    } catch (IOException | RuntimeException e) {
      Path target = keepWhole(object);
      LOG.error(
          "output {}: gave up uploading {} ({} records) after {}; {} of them are in {}, the staged"
              + " file could not be read further ({}) and was moved to {}",
          context.name(),
          object.key(),
          object.records(),
          failure.describe(),
          written,
          context.deadLetters().path(),
          e.toString(),
          target);
    }
    metrics.inFlightDeadLettered(reason, object.records());
    s3Metrics.upload("dead_lettered");
    space.add(-object.bytes());
    finished(object);
  }

  /** Writes every line of the staged object to the dead-letter file; returns how many. */
  private long deadLetterLines(StagedObject object, String reason) throws IOException {
    boolean json = config.format() == S3Config.Format.JSONL;
    long n = 0;
    try (java.io.InputStream in =
        new java.io.BufferedInputStream(
            config.compression().decoder(Files.newInputStream(object.data())), 64 * 1024)) {
      java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(1024);
      int b;
      while ((b = in.read()) >= 0) {
        if (b == '\n') {
          context.deadLetters().writeObjectLine(object.key(), reason, line.toByteArray(), json);
          line.reset();
          n++;
        } else {
          line.write(b);
        }
      }
    }
    return n;
  }

  private Path keepWhole(StagedObject object) {
    Path target = context.dataDir().resolve("dead-letter").resolve("s3").resolve(context.name());
    try {
      Files.createDirectories(target);
      Files.move(
          object.data(),
          target.resolve(object.data().getFileName()),
          StandardCopyOption.REPLACE_EXISTING);
      Files.move(
          object.metaFile(),
          target.resolve(object.metaFile().getFileName()),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.error("output {}: cannot move {} to {}", context.name(), object.data(), target, e);
    }
    return target;
  }

  synchronized String lastFailure() {
    return lastFailure;
  }

  private void finished(StagedObject object) {
    synchronized (this) {
      running.remove(object);
      notifyAll();
    }
    pump();
  }
}
