package dev.firelensrouter.sink;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The generic delivery engine (after Flink's AsyncSinkWriter): a memory-bounded buffer per
 * destination, one {@link PartitionQueue} per partition, batches by count, bytes and linger, a
 * bounded number of requests in flight under {@link ThrottleAwareRateLimiter}s (the output's and
 * each partition's), optional {@link RequestRateCap}s (the output's quota and the account's), and
 * retry of failed entries only, with full-jitter backoff, until {@code max_attempts} or {@code
 * max_age} dead-letters them. A concrete destination supplies an {@link EntryConverter} and a
 * {@link BatchSender}.
 *
 * <p>Threads: {@link #accept} and {@link #onEndOfBatch} run on the router thread, completions on
 * the SDK's threads, the ticker on the context's scheduler. State is guarded by {@code this};
 * requests are handed to the sender and dead letters written outside the lock. Time comes from
 * {@code nanos}, so tests drive linger and backoff by hand and call {@link #poll}.
 */
public final class BatchingDestination<E> implements Destination {
  private static final long TICK_MILLIS = 20;

  /** While draining, a retry waits at most this long. */
  private static final long DRAIN_RETRY_CAP_NANOS = 500_000_000L;

  private record Batch<E>(PartitionQueue<E> queue, List<BufferedEntry<E>> entries) {}

  private final DestinationContext context;
  private final OutputMetrics metrics;
  private final EntryConverter<E> converter;
  private final BatchSender<E> sender;
  private final BatchingOptions options;
  private final LongSupplier nanos;
  private final Backoff backoff;
  private final java.util.function.Supplier<java.util.random.RandomGenerator> random;
  private final ThrottleAwareRateLimiter limiter;
  private final List<RequestRateCap> caps = new ArrayList<>();
  private final DestinationHealth health;
  private final Map<String, PartitionQueue<E>> partitions = new LinkedHashMap<>();
  private long heldCost;
  private long bufferedCount;
  private int inFlightRequests;
  private long inFlightCount;
  private long pausedUntilNanos = Long.MIN_VALUE;
  private boolean draining;
  private ScheduledFuture<?> ticker;

  public BatchingDestination(
      DestinationContext context,
      EntryConverter<E> converter,
      BatchSender<E> sender,
      BatchingOptions options) {
    this(
        context,
        converter,
        sender,
        options,
        Optional.empty(),
        System::nanoTime,
        Backoff.DEFAULT,
        ThreadLocalRandom::current);
  }

  /**
   * @param accountCap the request cap shared by every output of the same AWS service, if any
   */
  public BatchingDestination(
      DestinationContext context,
      EntryConverter<E> converter,
      BatchSender<E> sender,
      BatchingOptions options,
      Optional<RequestRateCap> accountCap) {
    this(
        context,
        converter,
        sender,
        options,
        accountCap,
        System::nanoTime,
        Backoff.DEFAULT,
        ThreadLocalRandom::current);
  }

  BatchingDestination(
      DestinationContext context,
      EntryConverter<E> converter,
      BatchSender<E> sender,
      BatchingOptions options,
      Optional<RequestRateCap> accountCap,
      LongSupplier nanos,
      Backoff backoff,
      java.util.function.Supplier<java.util.random.RandomGenerator> random) {
    this.context = context;
    this.metrics = context.metrics();
    this.converter = converter;
    this.sender = sender;
    this.options = options;
    this.nanos = nanos;
    this.backoff = backoff;
    this.random = random;
    this.limiter = new ThrottleAwareRateLimiter(options.maxInFlight());
    this.health = new DestinationHealth(context.name());
    Optional.ofNullable(options.ownCap()).ifPresent(caps::add);
    accountCap.ifPresent(caps::add);
  }

  @Override
  public String name() {
    return context.name();
  }

  @Override
  public void start() {
    long tick = Math.max(1, Math.min(TICK_MILLIS, options.flushInterval().toMillis() / 2));
    ticker = context.scheduler().scheduleAtFixedRate(this::poll, tick, tick, TimeUnit.MILLISECONDS);
  }

  /** Sends what is due now: lingered batches, retries whose backoff passed. */
  void poll() {
    pump(false);
  }

  @Override
  public void accept(String tag, Event event, ChunkTicket ticket) {
    EntryConverter.Converted<E> c;
    try {
      c = converter.convert(tag, event);
    } catch (RuntimeException e) {
      c = EntryConverter.Converted.refused("convert_failed: " + e.getMessage());
    }
    if (c.refused() != null) {
      context.deadLetters().write(tag, event, c.refused());
      metrics.receivedDeadLettered(BatchOutcome.reasonLabel(c.refused()), 1);
      return;
    }
    BufferedEntry<E> entry =
        new BufferedEntry<>(
            tag, event, ticket, c.entry(), sender.size(c.entry()), nanos.getAsLong());
    boolean full;
    while (true) {
      List<Batch<E>> ready;
      synchronized (this) {
        if (heldCost == 0 || heldCost + entry.cost <= context.memoryQuota()) {
          full = enqueue(c.partition(), entry);
          break;
        }
        if (options.dropWhenFull() || draining) {
          metrics.receivedDropped("buffer_full", 1);
          return;
        }
        // block: the router thread waits, the ring fills, the clients see a full TCP window.
        ready = takeDue(true);
        if (ready.isEmpty()) {
          try {
            wait(100);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            metrics.receivedDropped("interrupted", 1);
            return;
          }
        }
      }
      dispatchAll(ready);
    }
    if (full) {
      pump(false);
    }
  }

  /** Queues the entry; true when its partition now holds a full batch. */
  private boolean enqueue(String partition, BufferedEntry<E> entry) {
    entry.ticket.retain();
    PartitionQueue<E> q =
        partitions.computeIfAbsent(partition, k -> new PartitionQueue<>(k, options.maxInFlight()));
    q.add(entry);
    heldCost += entry.cost;
    bufferedCount++;
    metrics.receivedBuffered(1);
    return q.isFull(sender.maxBatchCount(), sender.maxBatchBytes());
  }

  /**
   * The ring has nothing more: like Nagle's algorithm, a partial batch goes now if nothing of this
   * output is in flight (low latency when quiet, acks are not held for a linger), and otherwise
   * keeps filling until a request comes back or the linger passes (big batches under load).
   */
  @Override
  public void onEndOfBatch() {
    List<Batch<E>> ready;
    synchronized (this) {
      ready = takeDue(inFlightRequests == 0);
    }
    dispatchAll(ready);
  }

  private void pump(boolean force) {
    List<Batch<E>> ready;
    synchronized (this) {
      ready = takeDue(force);
    }
    dispatchAll(ready);
  }

  /**
   * Takes every batch that is due (full, lingered, a retry whose backoff passed, or anything when
   * {@code force}) within the in-flight limits and rate caps. Partitions take turns: one that sent
   * moves to the back.
   */
  private List<Batch<E>> takeDue(boolean force) {
    long now = nanos.getAsLong();
    if (now < pausedUntilNanos && !draining) {
      return List.of();
    }
    List<Batch<E>> ready = new ArrayList<>();
    long linger = options.flushInterval().toNanos();
    int maxCount = sender.maxBatchCount();
    long maxBytes = sender.maxBatchBytes();
    for (PartitionQueue<E> q : new ArrayList<>(partitions.values())) {
      if (q.isIdle()) {
        partitions.remove(q.key);
        continue;
      }
      boolean sent = false;
      while (inFlightRequests < limiter.allowedInFlight()
          && q.inFlight < q.limiter.allowedInFlight()
          && q.isDue(now, linger, force, draining, maxCount, maxBytes)) {
        long wait = acquireCaps(now);
        if (wait > 0) {
          pausedUntilNanos = now + wait;
          return ready;
        }
        List<BufferedEntry<E>> entries = q.take(now, draining, sender);
        if (entries.isEmpty()) {
          break;
        }
        q.inFlight++;
        inFlightRequests++;
        inFlightCount += entries.size();
        bufferedCount -= entries.size();
        metrics.sent(entries.size());
        ready.add(new Batch<>(q, entries));
        sent = true;
      }
      if (sent) {
        partitions.remove(q.key);
        partitions.put(q.key, q);
      }
      if (inFlightRequests >= limiter.allowedInFlight()) {
        break;
      }
    }
    return ready;
  }

  /** 0 when every cap lets one more request go now, else how long to wait. */
  private long acquireCaps(long now) {
    if (draining) {
      return 0;
    }
    for (RequestRateCap cap : caps) {
      long wait = cap.tryAcquire(now, sender.maxBatchBytes());
      if (wait > 0) {
        return wait;
      }
    }
    return 0;
  }

  private void dispatchAll(List<Batch<E>> ready) {
    for (Batch<E> b : ready) {
      dispatch(b);
    }
  }

  private void dispatch(Batch<E> batch) {
    List<E> entries = new ArrayList<>(batch.entries().size());
    for (BufferedEntry<E> e : batch.entries()) {
      entries.add(e.entry);
    }
    CompletableFuture<List<EntryResult>> request;
    try {
      request = sender.send(batch.queue().key, entries);
    } catch (RuntimeException e) {
      request = CompletableFuture.failedFuture(e);
    }
    request.whenComplete(
        (results, error) -> {
          if (error == null && (results == null || results.size() != entries.size())) {
            error = new IllegalStateException("the sender answered for a different batch size");
          }
          metrics.request(error == null ? "ok" : "error");
          complete(batch, results, error);
        });
  }

  private void complete(Batch<E> batch, List<EntryResult> results, Throwable error) {
    long now = nanos.getAsLong();
    List<BufferedEntry<E>> entries = batch.entries();
    BatchOutcome<E> outcome =
        BatchOutcome.of(
            entries, results, error == null ? null : sender.failure(error), now, options);
    long settledCost = 0;
    for (BufferedEntry<E> e : outcome.delivered) {
      settledCost += e.cost;
      e.ticket.release();
    }
    for (BatchOutcome.DeadLetter<E> d : outcome.deadLetters) {
      context.deadLetters().write(d.entry().tag, d.entry().event, d.reason());
      metrics.inFlightDeadLettered(BatchOutcome.reasonLabel(d.reason()), 1);
      settledCost += d.entry().cost;
      d.entry().ticket.release();
    }
    metrics.inFlightDelivered(outcome.delivered.size());
    if (!outcome.delivered.isEmpty()) {
      metrics.latencySeconds((now - entries.get(0).arrivalNanos) / 1e9);
    }
    List<BufferedEntry<E>> retry = outcome.retry;
    if (!retry.isEmpty()) {
      metrics.inFlightRetried(retry.size());
    }
    boolean throttled = outcome.throttled();
    synchronized (this) {
      PartitionQueue<E> q = batch.queue();
      q.inFlight--;
      inFlightRequests--;
      inFlightCount -= entries.size();
      heldCost -= settledCost;
      if (!retry.isEmpty()) {
        // One delay for the batch's failed entries: they go again together.
        long delay = backoff.delay(outcome.backoffSteps(), random.get()).toNanos();
        if (draining) {
          // The grace period is short: retry within it, but not in a tight loop.
          delay = Math.min(delay, DRAIN_RETRY_CAP_NANOS);
        }
        for (BufferedEntry<E> e : retry) {
          e.notBeforeNanos = now + delay;
          q.addRetry(e);
        }
        bufferedCount += retry.size();
        partitions.putIfAbsent(q.key, q);
        if (ticker != null) {
          context.scheduler().schedule(this::poll, delay, TimeUnit.NANOSECONDS);
        }
      }
      if (throttled) {
        limiter.onThrottle();
        q.limiter.onThrottle();
        health.throttled(now, outcome.throttleReason());
      } else if (outcome.clean()) {
        limiter.onSuccess();
        q.limiter.onSuccess();
        health.ok(now);
      } else {
        health.failing(now, outcome.trouble());
      }
      notifyAll();
    }
    // A request came back: what gathered meanwhile goes now (retries keep their backoff).
    pump(!throttled);
  }

  @Override
  public DrainReport drain(Instant deadline) {
    synchronized (this) {
      draining = true;
      long latest = nanos.getAsLong() + DRAIN_RETRY_CAP_NANOS;
      partitions.values().forEach(q -> q.capRetries(latest));
    }
    while (true) {
      pump(true);
      synchronized (this) {
        if ((bufferedCount == 0 && inFlightRequests == 0) || !Instant.now().isBefore(deadline)) {
          break;
        }
        try {
          wait(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    synchronized (this) {
      if (ticker != null) {
        ticker.cancel(false);
      }
      long left = bufferedCount + inFlightCount;
      DestinationState state = health.state();
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
    return health.state();
  }
}
