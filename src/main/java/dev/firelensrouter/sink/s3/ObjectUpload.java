package dev.firelensrouter.sink.s3;

import dev.firelensrouter.sink.Backoff;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Uploads one sealed staging file: PutObject below the multipart threshold, else
 * CreateMultipartUpload, UploadPart per {@code part_size} slice of the file, Complete. The upload
 * id and each part's ETag are persisted as they come, so a restarted process resumes. Each failed
 * step is retried after a {@link Backoff} delay on the scheduler (this is the S3 destination's own
 * retry loop; the lead may fold it into the engine's); a lost upload starts over.
 */
final class ObjectUpload {
  /** What the destination hears about an upload. */
  interface Listener {
    void uploaded(StagedObject object, int attempts);

    void failed(StagedObject object, S3Failure failure, int attempt);

    void gaveUp(StagedObject object, S3Failure failure);
  }

  private final StagedObject object;
  private final S3Uploads s3;
  private final S3Config config;
  private final ScheduledExecutorService scheduler;
  private final Backoff backoff;
  private final Listener listener;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private int attempts;
  private int objectFailures;

  ObjectUpload(
      StagedObject object,
      S3Uploads s3,
      S3Config config,
      ScheduledExecutorService scheduler,
      Backoff backoff,
      Listener listener) {
    this.object = object;
    this.s3 = s3;
    this.config = config;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.listener = listener;
  }

  /** Completes when the object is in S3 or was given up (never exceptionally). */
  CompletableFuture<Void> start() {
    attempt();
    return done;
  }

  StagedObject object() {
    return object;
  }

  private void attempt() {
    attempts++;
    CompletableFuture<Void> step;
    try {
      step =
          // An upload begun (by this process or the previous one) is finished as multipart, even
          // if multipart_threshold changed meanwhile: a PutObject would leave it open.
          object.meta().uploadId() == null && object.bytes() < config.multipartThreshold()
              ? s3.putObject(object.key(), object.data(), object.bytes())
              : multipart();
    } catch (RuntimeException e) {
      // A call that throws instead of failing its future must not end the retry loop.
      step = CompletableFuture.failedFuture(e);
    }
    step.whenCompleteAsync(
        (ok, error) -> {
          if (error == null) {
            listener.uploaded(object, attempts);
            done.complete(null);
          } else {
            onFailure(S3Failure.of(error));
          }
        },
        scheduler);
  }

  private CompletableFuture<Void> multipart() {
    StagedMeta meta = object.meta();
    CompletableFuture<String> id =
        meta.uploadId() != null
            ? CompletableFuture.completedFuture(meta.uploadId())
            : s3.createMultipart(object.key())
                .thenApplyAsync(
                    created -> {
                      persist(meta.withUpload(created, List.of(), config.partSize()));
                      return created;
                    },
                    scheduler);
    return id.thenCompose(uploadId -> nextPart(uploadId));
  }

  /** Uploads the parts not yet done, one after another, then completes. */
  private CompletableFuture<Void> nextPart(String uploadId) {
    List<S3Uploads.Part> done = object.meta().parts();
    // The size the upload was started with: its parts so far were cut at that size.
    long partSize = object.meta().partSizeOr(config.partSize());
    long offset = (long) done.size() * partSize;
    if (offset >= object.bytes() && !done.isEmpty()) {
      return s3.complete(object.key(), uploadId, done);
    }
    int number = done.size() + 1;
    long length = Math.min(partSize, object.bytes() - offset);
    return s3.uploadPart(object.key(), uploadId, number, object.data(), offset, length)
        .thenComposeAsync(
            etag -> {
              List<S3Uploads.Part> parts = new ArrayList<>(done);
              parts.add(new S3Uploads.Part(number, etag));
              persist(object.meta().withParts(parts));
              return nextPart(uploadId);
            },
            scheduler);
  }

  private void persist(StagedMeta next) {
    try {
      object.update(next);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void onFailure(S3Failure failure) {
    listener.failed(object, failure, attempts);
    // A restart counts too: an object whose upload S3 keeps losing must end, not loop forever.
    boolean aboutObject =
        failure.kind() == S3Failure.Kind.OBJECT || failure.kind() == S3Failure.Kind.RESTART;
    if (aboutObject && ++objectFailures >= config.maxAttempts()) {
      giveUp(failure);
      return;
    }
    if (failure.kind() == S3Failure.Kind.RESTART) {
      restart();
    }
    long delay = backoff.delay(Math.min(attempts, 20), ThreadLocalRandom.current()).toMillis();
    scheduler.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
  }

  /**
   * Forgets a broken multipart upload so the next attempt starts over. The old upload is aborted
   * (best effort: if that fails too, a bucket lifecycle rule is the safety net), so its parts do
   * not stay billed.
   */
  private void restart() {
    String id = object.meta().uploadId();
    if (id != null) {
      s3.abort(object.key(), id);
      try {
        object.update(object.meta().withoutUpload());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  private void giveUp(S3Failure failure) {
    String id = object.meta().uploadId();
    CompletableFuture<Void> abort =
        id == null ? CompletableFuture.completedFuture(null) : s3.abort(object.key(), id);
    abort.whenCompleteAsync(
        (ok, e) -> {
          listener.gaveUp(object, failure);
          done.complete(null);
        },
        scheduler);
  }
}
