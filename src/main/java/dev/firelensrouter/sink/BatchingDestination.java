package dev.firelensrouter.sink;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generic delivery engine (after Flink's AsyncSinkWriter): a byte-bounded buffer per
 * destination, one queue per partition, batches by count, bytes and linger, bounded in-flight
 * requests under a {@link ThrottleAwareRateLimiter}, and retry of failed entries only, with
 * full-jitter backoff, until {@code max_attempts} or {@code max_age} dead-letters them. A concrete
 * destination supplies an {@link EntryConverter} and a {@link BatchSender}.
 */
public final class BatchingDestination<E> implements Destination {
  private static final Logger LOG = LoggerFactory.getLogger(BatchingDestination.class);
  private static final java.time.Duration RECOVERY = java.time.Duration.ofSeconds(10);

  private final class Pending {
    final String tag;
    final Event event;
    final ChunkTicket ticket;
    final E entry;
    final int size;
    final long firstNanos;
    int attempts;
    long notBeforeNanos;

    Pending(String tag, Event event, ChunkTicket ticket, E entry, int size) {
      this.tag = tag;
      this.event = event;
      this.ticket = ticket;
      this.entry = entry;
      this.size = size;
      this.firstNanos = System.nanoTime();
    }
  }

  private final DestinationContext context;
  private final OutputMetrics metrics;
  private final EntryConverter<E> converter;
  private final BatchSender<E> sender;
  private final BatchingOptions options;
  private final ThrottleAwareRateLimiter limiter;
  private final Map<String, ArrayDeque<Pending>> queues = new LinkedHashMap<>();
  private final Map<String, Long> oldest = new LinkedHashMap<>();
  private long bufferedBytes;
  private long bufferedCount;
  private int inFlightRequests;
  private long inFlightCount;
  private boolean draining;
  private volatile DestinationState state = DestinationState.HEALTHY;
  private ScheduledFuture<?> ticker;
  private long lastTroubleNanos;

  public BatchingDestination(
      DestinationContext context,
      EntryConverter<E> converter,
      BatchSender<E> sender,
      BatchingOptions options) {
    this.context = context;
    this.metrics = context.metrics();
    this.converter = converter;
    this.sender = sender;
    this.options = options;
    this.limiter = new ThrottleAwareRateLimiter(options.maxInFlight());
  }

  @Override
  public String name() {
    return context.name();
  }

  @Override
  public void start() {
    long tick = Math.max(10, Math.min(250, options.flushInterval().toMillis() / 2));
    ticker =
        context
            .scheduler()
            .scheduleAtFixedRate(() -> send(false), tick, tick, TimeUnit.MILLISECONDS);
  }

  @Override
  public void accept(String tag, Event event, ChunkTicket ticket) {
    metrics.received(1);
    EntryConverter.Converted<E> c;
    try {
      c = converter.convert(tag, event);
    } catch (RuntimeException e) {
      c = EntryConverter.Converted.refused("convert_failed");
    }
    if (c.refused() != null) {
      deadLetter(tag, event, c.refused());
      return;
    }
    int size = sender.size(c.entry());
    boolean sendNow;
    synchronized (this) {
      while (bufferedBytes > 0 && bufferedBytes + size > context.memoryQuota()) {
        if (options.dropWhenFull() || draining) {
          metrics.dropped("buffer_full", 1);
          return;
        }
        // block: the router thread waits, the ring fills, the clients see a full TCP window.
        sendLocked(true);
        try {
          wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          metrics.dropped("interrupted", 1);
          return;
        }
      }
      ticket.retain();
      Pending p = new Pending(tag, event, ticket, c.entry(), size);
      ArrayDeque<Pending> q = queues.computeIfAbsent(c.partition(), k -> new ArrayDeque<>());
      if (q.isEmpty()) {
        oldest.put(c.partition(), p.firstNanos);
      }
      q.addLast(p);
      bufferedBytes += size;
      bufferedCount++;
      metrics.addBuffered(1);
      sendNow = q.size() >= sender.maxBatchCount() || queueBytes(q) >= sender.maxBatchBytes();
    }
    if (sendNow) {
      send(false);
    }
  }

  /**
   * The ring has nothing more: like Nagle's algorithm, a partial batch goes now if nothing of this
   * output is in flight (low latency when quiet, acks are not held for a linger), and otherwise
   * keeps filling until a request comes back or the linger passes (big batches under load).
   */
  @Override
  public void onEndOfBatch() {
    synchronized (this) {
      if (inFlightRequests == 0) {
        sendLocked(true);
      } else {
        sendLocked(false);
      }
    }
  }

  private long queueBytes(ArrayDeque<Pending> q) {
    long b = 0;
    for (Pending p : q) {
      b += p.size;
      if (b >= sender.maxBatchBytes()) {
        break;
      }
    }
    return b;
  }

  /**
   * Sends every batch that is due (full, lingered, or {@code force}) within the in-flight limit.
   */
  private void send(boolean force) {
    synchronized (this) {
      sendLocked(force || draining);
    }
  }

  /** {@code force}: partial batches may go now; backoff is still kept unless draining. */
  private void sendLocked(boolean force) {
    long now = System.nanoTime();
    long linger = options.flushInterval().toNanos();
    for (Iterator<Map.Entry<String, ArrayDeque<Pending>>> it = queues.entrySet().iterator();
        it.hasNext(); ) {
      if (inFlightRequests >= limiter.allowedInFlight()) {
        return;
      }
      Map.Entry<String, ArrayDeque<Pending>> e = it.next();
      ArrayDeque<Pending> q = e.getValue();
      if (q.isEmpty()) {
        it.remove();
        oldest.remove(e.getKey());
        continue;
      }
      if (q.peekFirst().notBeforeNanos > now && !draining) {
        continue;
      }
      boolean full = q.size() >= sender.maxBatchCount() || queueBytes(q) >= sender.maxBatchBytes();
      boolean lingered = now - oldest.getOrDefault(e.getKey(), now) >= linger;
      if (!full && !lingered && !force) {
        continue;
      }
      List<Pending> batch = take(q);
      oldest.put(e.getKey(), q.isEmpty() ? now : q.peekFirst().firstNanos);
      dispatch(e.getKey(), batch);
    }
  }

  private List<Pending> take(ArrayDeque<Pending> q) {
    List<Pending> batch = new ArrayList<>();
    List<E> entries = new ArrayList<>();
    long bytes = 0;
    long now = System.nanoTime();
    while (!q.isEmpty() && batch.size() < sender.maxBatchCount()) {
      Pending p = q.peekFirst();
      if (p.notBeforeNanos > now && !draining && !batch.isEmpty()) {
        break;
      }
      if (!batch.isEmpty() && bytes + p.size > sender.maxBatchBytes()) {
        break;
      }
      entries.add(p.entry);
      if (sender.fits(entries) < entries.size()) {
        break;
      }
      batch.add(q.pollFirst());
      bytes += p.size;
    }
    bufferedBytes -= bytes;
    bufferedCount -= batch.size();
    inFlightRequests++;
    inFlightCount += batch.size();
    metrics.addInFlight(batch.size());
    metrics.addBuffered(-batch.size());
    return batch;
  }

  private void dispatch(String partition, List<Pending> batch) {
    List<E> entries = new ArrayList<>(batch.size());
    batch.forEach(p -> entries.add(p.entry));
    long start = System.nanoTime();
    try {
      sender
          .send(partition, entries)
          .whenComplete(
              (results, error) -> {
                metrics.request(error == null ? "ok" : "error");
                metrics.latencySeconds((System.nanoTime() - start) / 1e9);
                complete(partition, batch, results, error);
              });
    } catch (RuntimeException e) {
      complete(partition, batch, null, e);
    }
  }

  private void complete(
      String partition, List<Pending> batch, List<EntryResult> results, Throwable error) {
    boolean throttled = false;
    List<Pending> retry = new ArrayList<>();
    String lastRetryReason = null;
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      EntryResult r = error != null ? sender.failure(error) : results.get(i);
      if (r instanceof EntryResult.Delivered) {
        metrics.delivered(1);
        metrics.addInFlight(-1);
        p.ticket.release();
      } else if (r instanceof EntryResult.Retry rt) {
        throttled |= rt.throttled();
        lastRetryReason = rt.reason();
        p.attempts++;
        boolean tooOld = System.nanoTime() - p.firstNanos > options.maxAge().toNanos();
        if (p.attempts >= options.maxAttempts() || tooOld) {
          metrics.addInFlight(-1);
          deadLetterHeld(p, (tooOld ? "max_age: " : "max_attempts: ") + rt.reason());
        } else {
          retry.add(p);
        }
      } else {
        metrics.addInFlight(-1);
        deadLetterHeld(p, ((EntryResult.Fail) r).reason());
      }
    }
    synchronized (this) {
      inFlightRequests--;
      inFlightCount -= batch.size();
      if (!retry.isEmpty()) {
        metrics.retried(retry.size());
        ArrayDeque<Pending> q = queues.computeIfAbsent(partition, k -> new ArrayDeque<>());
        long now = System.nanoTime();
        for (int i = retry.size() - 1; i >= 0; i--) {
          Pending p = retry.get(i);
          p.notBeforeNanos =
              now + Backoff.DEFAULT.delay(p.attempts, ThreadLocalRandom.current()).toNanos();
          q.addFirst(p);
          bufferedBytes += p.size;
          bufferedCount++;
        }
        metrics.addBuffered(retry.size());
        metrics.addInFlight(-retry.size());
        oldest.put(partition, retry.get(0).firstNanos);
      }
      if (throttled) {
        limiter.onThrottle();
      } else if (retry.isEmpty()) {
        limiter.onSuccess();
      }
      updateState(throttled, lastRetryReason, lastRetryReason == null);
      // A request came back: what gathered meanwhile goes now (retries keep their backoff).
      sendLocked(draining || !throttled);
      notifyAll();
    }
  }

  /**
   * Health for /routes and the log: throttled or failing at the first trouble, healthy again only
   * after {@link #RECOVERY} without any, so a flapping API logs one line each way, not one per
   * call.
   */
  private void updateState(boolean throttled, String reason, boolean clean) {
    long now = System.nanoTime();
    DestinationState next;
    if (clean) {
      if (state.health() == DestinationState.Health.HEALTHY
          || now - lastTroubleNanos < RECOVERY.toNanos()) {
        return;
      }
      next = DestinationState.HEALTHY;
    } else {
      lastTroubleNanos = now;
      next = throttled ? DestinationState.throttled(reason) : DestinationState.failing(reason);
    }
    if (next.health() != state.health()) {
      if (next.health() == DestinationState.Health.HEALTHY) {
        LOG.info("output {} recovered", name());
      } else {
        LOG.warn(
            "output {} is {}: {}",
            name(),
            next.health().name().toLowerCase(java.util.Locale.ROOT),
            reason);
      }
    }
    state = next;
  }

  private void deadLetter(String tag, Event event, String reason) {
    context.deadLetters().write(tag, event, reason);
    metrics.deadLettered(reasonLabel(reason), 1);
  }

  private void deadLetterHeld(Pending p, String reason) {
    deadLetter(p.tag, p.event, reason);
    p.ticket.release();
  }

  /** Metric labels stay few: the reason up to its first colon. */
  private static String reasonLabel(String reason) {
    int colon = reason.indexOf(':');
    return colon < 0 ? reason : reason.substring(0, colon);
  }

  @Override
  public DrainReport drain(Instant deadline) {
    synchronized (this) {
      draining = true;
      while ((bufferedCount > 0 || inFlightRequests > 0) && Instant.now().isBefore(deadline)) {
        sendLocked(true);
        try {
          wait(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (ticker != null) {
        ticker.cancel(false);
      }
      long left = bufferedCount + inFlightCount;
      return left == 0
          ? DrainReport.clean(name(), metrics.deliveredCount())
          : new DrainReport(
              name(),
              metrics.deliveredCount(),
              left,
              "deadline passed; last state: " + state.health() + " " + state.lastError());
    }
  }

  @Override
  public DestinationState state() {
    return state;
  }
}
