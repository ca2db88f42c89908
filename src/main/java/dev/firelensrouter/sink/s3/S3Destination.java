package dev.firelensrouter.sink.s3;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.sink.Backoff;
import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.DestinationContext;
import dev.firelensrouter.sink.DestinationHealth;
import dev.firelensrouter.sink.DestinationState;
import dev.firelensrouter.sink.DrainReport;
import dev.firelensrouter.sink.OutputMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 destination. A record is the destination's responsibility once it is in a staging file and
 * flushed by the {@code fsync} policy: then its chunk ticket is released (the chunk may be acked)
 * and it counts as buffered; it counts as delivered when the object holding it is in S3. Writes run
 * on the router thread (compressing is cheaper than handing records to another thread); uploads run
 * on the SDK's threads, timers on the context's scheduler.
 */
final class S3Destination implements Destination {
  private static final Logger LOG = LoggerFactory.getLogger(S3Destination.class);

  private final S3Config config;
  private final DestinationContext context;
  private final OutputMetrics metrics;
  private final S3Metrics.Output s3Metrics;
  private final S3Keys keys;
  private final RecordLines lines;
  private final Path dir;
  private final S3Uploads uploads;
  private final StagingSpace space;
  private final UploadQueue queue;
  private final Object lock = new Object();
  private final Map<String, StagingFile> open = new HashMap<>();
  private final Set<StagingFile> dirty = new LinkedHashSet<>();
  private final List<ChunkTicket> unflushed = new ArrayList<>();
  private final DestinationHealth health;
  private ScheduledFuture<?> ticker;
  private long nextIndex;
  private boolean closed;
  private boolean shortKeyLogged;

  S3Destination(
      S3Config config, DestinationContext context, S3Uploads uploads, S3Metrics.Output s3Metrics) {
    this.config = config;
    this.context = context;
    this.metrics = context.metrics();
    this.s3Metrics = s3Metrics;
    this.keys = new S3Keys(config.key(), this::keyShortened);
    this.lines = new RecordLines(config.format(), config.messageKey());
    this.dir = context.dataDir().resolve("s3").resolve(context.name());
    this.uploads = uploads;
    this.space = new StagingSpace(lock);
    this.health = new DestinationHealth(context.name());
    this.queue =
        new UploadQueue(
            uploads, config, context, s3Metrics, space, Backoff.DEFAULT, this::setState);
  }

  @Override
  public String name() {
    return context.name();
  }

  @Override
  public void start() {
    try {
      Files.createDirectories(dir);
      nextIndex = StagingIndex.read(dir);
      StagingRecovery.Result recovered = StagingRecovery.recover(dir, config.compression(), name());
      s3Metrics.recoveryLost(recovered.recordsLost());
      s3Metrics.recoveryStatesUnreadable(recovered.statesUnreadable());
      if (recovered.statesUnreadable() > 0) {
        LOG.warn(
            "output {}: {} staged object(s) had a missing or unreadable upload state; their data"
                + " is uploaded afresh under {}",
            name(),
            recovered.statesUnreadable(),
            StagingRecovery.recoveredKey(name(), "<staging id>", config.compression()));
      }
      for (StagingRecovery.Abandoned a : recovered.abandoned()) {
        // Best effort: if S3 is unreachable now, a lifecycle rule is the safety net.
        uploads.abort(a.key(), a.uploadId());
      }
      for (StagedObject o : recovered.objects()) {
        // Records left by a previous process: received (again) here, buffered until uploaded.
        metrics.receivedBuffered(o.records());
        space.add(o.bytes());
        queue.submit(o);
      }
      if (!recovered.objects().isEmpty()) {
        LOG.info(
            "output {}: {} staged object(s) from a previous run to upload ({} partial records cut)",
            name(),
            recovered.objects().size(),
            recovered.recordsLost());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("output " + name() + ": cannot use staging dir " + dir, e);
    }
    long period = Math.max(50, Math.min(1000, config.uploadAfter().toMillis() / 4));
    ticker =
        context
            .scheduler()
            .scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public void accept(String tag, Event event, ChunkTicket ticket) {
    synchronized (lock) {
      if (!closed && space.used() >= config.maxDisk()) {
        if (!config.blockWhenFull()) {
          metrics.receivedDropped("disk_full", 1);
          return;
        }
        // Let everything staged go up, then wait for room: this blocks the router (backpressure).
        flushLocked();
        sealAllLocked();
        space.awaitBelow(config.maxDisk(), () -> closed);
      }
      if (closed) {
        // Drained while this record waited for room: keep it in the dead-letter file, not lost.
        context.deadLetters().write(tag, event, "shutdown");
        metrics.receivedDeadLettered("shutdown", 1);
        return;
      }
      try {
        String partition = keys.partition(tag, event, context.scope());
        StagingFile file = open.get(partition);
        if (file == null) {
          file = openLocked(tag, event);
          open.put(partition, file);
        }
        lines.write(event, file.lines());
        file.recordWritten();
        ticket.retain();
        unflushed.add(ticket);
        dirty.add(file);
        metrics.receivedBuffered(1);
        if (config.fsync() == S3Config.Fsync.ALWAYS) {
          flushLocked();
        }
        space.add(file.takeGrowth());
        if (file.encodedBytes() >= config.maxObjectSize()) {
          flushLocked();
          sealLocked(partition);
        }
      } catch (IOException | RuntimeException e) {
        setState(DestinationState.failing("cannot stage: " + e));
        context.deadLetters().write(tag, event, "staging_failed");
        metrics.receivedDeadLettered("staging_failed", 1);
      }
    }
  }

  @Override
  public void onEndOfBatch() {
    synchronized (lock) {
      flushLocked();
    }
  }

  private StagingFile openLocked(String tag, Event event) throws IOException {
    long index = nextIndex++;
    StagingIndex.write(dir, nextIndex);
    long now = context.clock().millis();
    String key = keys.objectKey(tag, event, context.scope(), index);
    String id =
        String.format("%013d-%08d-%04x", now, index, ThreadLocalRandom.current().nextInt(1 << 16));
    return new StagingFile(dir, id, StagedMeta.open(key, now), config.compression());
  }

  /** Counts each key cut to S3's 1,024 bytes; warns once per output, not per object. */
  private void keyShortened(String key) {
    s3Metrics.keyShortened();
    if (!shortKeyLogged) {
      shortKeyLogged = true;
      LOG.warn(
          "output {}: rendered keys are longer than S3's 1,024 bytes; they are cut before their"
              + " unique part (counted in firelens_router_s3_keys_shortened_total, logged once),"
              + " e.g. {}",
          name(),
          key);
    }
  }

  /** Makes what was written decodable (and durable per {@code fsync}), then releases the chunks. */
  private void flushLocked() {
    if (unflushed.isEmpty()) {
      return;
    }
    try {
      for (StagingFile f : dirty) {
        f.flush(config.fsync() != S3Config.Fsync.NEVER);
        space.add(f.takeGrowth());
        if (f.encodedBytes() >= config.multipartThreshold()) {
          f.growing(uploads, config.partSize(), context.scheduler()).offer(f.encodedBytes());
        }
      }
    } catch (IOException e) {
      setState(DestinationState.failing("cannot flush staging file: " + e));
    }
    dirty.clear();
    for (ChunkTicket t : unflushed) {
      t.release();
    }
    unflushed.clear();
  }

  private void sealLocked(String partition) throws IOException {
    StagingFile file = open.remove(partition);
    dirty.remove(file);
    StagedObject sealed = file.seal();
    space.add(file.takeGrowth());
    queue.submit(sealed);
  }

  private void sealAllLocked() {
    for (String partition : new ArrayList<>(open.keySet())) {
      try {
        sealLocked(partition);
      } catch (IOException e) {
        setState(DestinationState.failing("cannot seal staging file: " + e));
      }
    }
  }

  /** Closes objects past {@code upload_after}; a failure must not cancel the periodic task. */
  private void tick() {
    try {
      closeAged();
    } catch (RuntimeException e) {
      setState(DestinationState.failing("cannot close aged objects: " + e));
    }
  }

  /** Closes objects past {@code upload_after}; updates the age gauge. */
  private void closeAged() {
    synchronized (lock) {
      long now = context.clock().millis();
      long oldest = now;
      Iterator<Map.Entry<String, StagingFile>> it = open.entrySet().iterator();
      List<String> aged = new ArrayList<>();
      while (it.hasNext()) {
        Map.Entry<String, StagingFile> e = it.next();
        oldest = Math.min(oldest, e.getValue().createdMillis());
        if (now - e.getValue().createdMillis() >= config.uploadAfter().toMillis()) {
          aged.add(e.getKey());
        }
      }
      if (!aged.isEmpty()) {
        flushLocked();
        for (String p : aged) {
          try {
            sealLocked(p);
          } catch (IOException e) {
            setState(DestinationState.failing("cannot seal staging file: " + e));
          }
        }
      }
      oldest = Math.min(oldest, queue.oldestCreatedMillis(now));
      s3Metrics.oldestAgeSeconds((now - oldest) / 1000.0);
      s3Metrics.stagedBytes(space.used());
    }
  }

  @Override
  public DrainReport drain(Instant deadline) {
    synchronized (lock) {
      flushLocked();
      closed = true;
      uploads.draining();
      sealAllLocked();
      lock.notifyAll();
    }
    queue.awaitEmpty(Duration.between(context.clock().instant(), deadline));
    if (ticker != null) {
      ticker.cancel(false);
    }
    long left = queue.pendingRecords();
    if (left == 0) {
      return DrainReport.clean(name(), metrics.deliveredCount());
    }
    return new DrainReport(
        name(),
        metrics.deliveredCount(),
        left,
        left
            + " records in "
            + queue.pending()
            + " object(s) stay staged under "
            + dir
            + " and are uploaded at the next start; last error: "
            + health.state().lastError());
  }

  /** One log line per change of health (rate limited), not per retry: see DestinationHealth. */
  private void setState(DestinationState next) {
    long now = System.nanoTime();
    switch (next.health()) {
      case HEALTHY -> health.ok(now);
      case THROTTLED -> health.throttled(now, next.lastError());
      case FAILING -> health.failing(now, next.lastError());
    }
  }

  @Override
  public DestinationState state() {
    return health.state();
  }
}
