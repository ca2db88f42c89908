package dev.firelensrouter.sink;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
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
 * destination that spills to disk ({@link DiskSpill}) before it refuses input, one {@link
 * PartitionQueue} per partition, batches by count, bytes and linger, a bounded number of requests
 * in flight under {@link ThrottleAwareRateLimiter}s (the output's and each partition's), optional
 * {@link RequestRateCap}s (the output's quota and the account's), and retry of failed entries only,
 * with full-jitter backoff, until {@code max_attempts} or {@code max_age} dead-letters them. A
 * concrete destination supplies an {@link EntryConverter} and a {@link BatchSender}.
 *
 * <p>Spill: once the memory share is full, new entries go to the spool (and keep going there, in
 * order, until it is empty again); their chunks are released once the bytes are flushed. Memory
 * that frees is filled again from the oldest spooled records on the scheduler thread. Entries held
 * in memory for {@link #PERSIST_AFTER_NANOS} are written to the spool too, so a slow or dead output
 * does not hold its clients' acks. Only when memory and disk are both full does {@code when_full}
 * apply.
 *
 * <p>Threads: {@link #accept} and {@link #onEndOfBatch} run on the router thread and hand the
 * batches they make ready to the context's request thread; completions run on the SDK's threads (no
 * disk I/O there but the dead-letter file), the ticker, refills and persists on the context's
 * scheduler. State is guarded by {@code this}; requests are handed to the sender, tickets released
 * and files written outside the lock. Time comes from {@code nanos}, so tests drive linger and
 * backoff by hand and call {@link #poll}.
 */
public final class BatchingDestination<E> implements Destination {
  private static final long TICK_MILLIS = 20;

  /** While draining, a retry waits at most this long. */
  private static final long DRAIN_RETRY_CAP_NANOS = 500_000_000L;

  /**
   * Entries whose chunks waited this long in memory are written to the spool so the chunks can be
   * acked: below the time Forward clients wait for an ack before sending again (Fluency: 5 s).
   */
  static final long PERSIST_AFTER_NANOS = 2_000_000_000L;

  private static final long PERSIST_EVERY_NANOS = 1_000_000_000L;

  /** Records read back per round, so one output does not hold the scheduler thread for long. */
  private static final int REFILL_RECORDS = 4096;

  private static final int REFILL_ROUNDS = 8;

  record Batch<E>(PartitionQueue<E> queue, List<BufferedEntry<E>> entries) {}

  private enum Place {
    MEMORY,
    SPOOL,
    WAIT
  }

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
  private final DeadLetters deadLetters;
  private final Map<String, PartitionQueue<E>> partitions = new LinkedHashMap<>();
  private final List<Batch<E>> inFlightBatches = new ArrayList<>();
  private final Object refillLock = new Object();
  private final java.util.concurrent.atomic.AtomicBoolean refillScheduled =
      new java.util.concurrent.atomic.AtomicBoolean();
  private long heldCost;
  private long bufferedCount;
  private int inFlightRequests;
  private long inFlightCount;
  private long pausedUntilNanos = Long.MIN_VALUE;
  private long changes;
  private long lastPersistNanos = Long.MIN_VALUE;
  private boolean draining;
  private volatile boolean closed;
  private ScheduledFuture<?> ticker;
  private volatile DiskSpill<E> spill;

  /** Records in the spool not read back yet (they count as buffered in the ledger). */
  private volatile long spooled;

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
    this.deadLetters = new DeadLetters(context.name(), context.deadLetters(), metrics, nanos);
    Optional.ofNullable(options.ownCap()).ifPresent(caps::add);
    accountCap.ifPresent(caps::add);
  }

  @Override
  public String name() {
    return context.name();
  }

  /** Opens the spool (replaying what an earlier process left in it) and starts the ticker. */
  @Override
  public void start() {
    openSpool();
    long tick = Math.max(1, Math.min(TICK_MILLIS, options.flushInterval().toMillis() / 2));
    ticker = context.scheduler().scheduleAtFixedRate(this::poll, tick, tick, TimeUnit.MILLISECONDS);
  }

  /** Opens the spool without the ticker (tests drive {@link #poll} by hand). */
  void openSpool() {
    try {
      DiskSpill.Opened<E> opened = DiskSpill.open(context, options, converter);
      synchronized (this) {
        spill = opened.spill();
        spooled += opened.recovered();
      }
      metrics.spoolRecovered(opened.recovered());
      metrics.spool(
          new OutputMetrics.SpoolGauges() {
            @Override
            public long records() {
              return spooled;
            }

            @Override
            public long bytes() {
              return opened.spill().diskBytes();
            }
          });
    } catch (IOException | UncheckedIOException e) {
      health.failing(nanos.getAsLong(), "cannot open the disk spool: " + e);
    }
  }

  /**
   * Sends what is due now (lingered batches, retries whose backoff passed), reads spooled records
   * back into freed memory, and writes to the spool what waited too long in memory.
   */
  void poll() {
    pump(false);
    health.tick(nanos.getAsLong());
    if (spill != null && !closed) {
      refill();
      synchronized (refillLock) {
        if (!closed) {
          persistWaiting();
        }
      }
    }
  }

  @Override
  public void accept(String tag, Event event, ChunkTicket ticket) {
    BufferedEntry<E> entry = null;
    String partition = null;
    boolean counted = false;
    while (true) {
      if (entry == null && spooled == 0) {
        EntryConverter.Converted<E> c = convert(tag, event);
        if (c.refused() != null) {
          deadLetters.refused(tag, event, c.refused(), counted);
          return;
        }
        partition = c.partition();
        entry =
            new BufferedEntry<>(
                tag, event, ticket, c.entry(), sender.size(c.entry()), nanos.getAsLong());
      }
      Place place;
      boolean sendNow = false;
      List<Batch<E>> ready = List.of();
      long seen;
      synchronized (this) {
        seen = changes;
        if (spooled == 0 && entry == null) {
          continue; // the spool emptied meanwhile: convert and try memory
        }
        if (spooled == 0 && (heldCost == 0 || heldCost + entry.cost <= context.memoryQuota())) {
          place = Place.MEMORY;
          sendNow = enqueue(partition, entry, counted);
        } else if (spill != null && !draining && spill.hasRoom(tag, event)) {
          place = Place.SPOOL;
          spooled++;
          if (!counted) {
            metrics.receivedBuffered(1);
          }
        } else if (options.dropWhenFull() || draining) {
          if (counted) {
            metrics.bufferedDropped("buffer_full", 1);
          } else {
            metrics.receivedDropped("buffer_full", 1);
          }
          return;
        } else {
          // block: the router thread waits, the ring fills, the clients see a full TCP window.
          place = Place.WAIT;
          ready = takeDue(true);
        }
      }
      if (place == Place.MEMORY) {
        if (sendNow) {
          handOff(due(false));
        }
        return;
      }
      if (place == Place.SPOOL) {
        if (spillOne(tag, event, ticket)) {
          return;
        }
        counted = true; // the spool failed: memory and when_full decide, as without one
        continue;
      }
      DiskSpill<E> s = spill;
      if (s != null) {
        s.flush(); // what it holds can be read back, its chunks acked
      }
      handOff(ready);
      if (ready.isEmpty() && !awaitChange(seen)) {
        if (counted) {
          metrics.bufferedDropped("interrupted", 1);
        } else {
          metrics.receivedDropped("interrupted", 1);
        }
        return;
      }
    }
  }

  private EntryConverter.Converted<E> convert(String tag, Event event) {
    try {
      return converter.convert(tag, event);
    } catch (RuntimeException e) {
      return EntryConverter.Converted.refused("convert_failed: " + e.getMessage());
    }
  }

  /** Appends to the spool, counted there already; false (and undone) when the spool failed. */
  private boolean spillOne(String tag, Event event, ChunkTicket ticket) {
    ticket.retain();
    long received = context.clock().millis();
    if (spill.append(tag, event, received, ticket)) {
      return true;
    }
    synchronized (this) {
      spooled--;
    }
    ticket.release();
    return false;
  }

  /** Waits up to 100 ms for a request to come back or disk space to free; false if interrupted. */
  private synchronized boolean awaitChange(long seen) {
    if (changes != seen) {
      return true;
    }
    try {
      wait(100);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void changed() {
    changes++;
    notifyAll();
  }

  /**
   * Queues the entry (its ticket retained, if it has one); true when its partition now holds a full
   * batch and a request could go now (in flight below both limits, not paused by a cap).
   */
  private boolean enqueue(String partition, BufferedEntry<E> entry, boolean counted) {
    if (entry.ticket != null) {
      entry.ticket.retain();
    }
    PartitionQueue<E> q =
        partitions.computeIfAbsent(partition, k -> new PartitionQueue<>(k, options.maxInFlight()));
    q.add(entry);
    heldCost += entry.cost;
    bufferedCount++;
    if (!counted) {
      metrics.receivedBuffered(1);
    }
    return q.isFull(sender.maxBatchCount(), sender.maxBatchBytes())
        && inFlightRequests < limiter.allowedInFlight()
        && q.inFlight < q.limiter.allowedInFlight()
        && (draining || nanos.getAsLong() >= pausedUntilNanos);
  }

  /**
   * The ring has nothing more: the spool's appends go to the OS (their chunks may be acked), and
   * like Nagle's algorithm, a partial batch goes now if nothing of this output is in flight (low
   * latency when quiet, acks are not held for a linger); otherwise it goes once half full, or keeps
   * filling until a request comes back or the linger passes (big batches under load).
   */
  @Override
  public void onEndOfBatch() {
    DiskSpill<E> s = spill;
    if (s != null) {
      s.flush();
    }
    List<Batch<E>> ready;
    synchronized (this) {
      ready = takeDue(inFlightRequests == 0);
    }
    handOff(ready);
  }

  private void pump(boolean force) {
    dispatchAll(due(force));
  }

  private synchronized List<Batch<E>> due(boolean force) {
    return takeDue(force);
  }

  /**
   * Takes every batch that is due (full, lingered, a retry whose backoff passed, or anything when
   * {@code force}) within the in-flight limits and rate caps. Partitions take turns: one that sent
   * moves to the back. A cap is checked before a batch is taken and charged its real bytes after.
   */
  private List<Batch<E>> takeDue(boolean force) {
    long now = nanos.getAsLong();
    if (now < pausedUntilNanos && !draining) {
      return List.of();
    }
    List<Batch<E>> ready = null;
    List<PartitionQueue<E>> sent = null;
    long linger = options.flushInterval().toNanos();
    int maxCount = sender.maxBatchCount();
    long maxBytes = sender.maxBatchBytes();
    Iterator<PartitionQueue<E>> it = partitions.values().iterator();
    boolean paused = false;
    while (it.hasNext() && !paused && inFlightRequests < limiter.allowedInFlight()) {
      PartitionQueue<E> q = it.next();
      if (q.isIdle()) {
        it.remove();
        continue;
      }
      boolean took = false;
      while (inFlightRequests < limiter.allowedInFlight()
          && q.inFlight < q.limiter.allowedInFlight()
          && q.isDue(now, linger, force, draining, maxCount, maxBytes)) {
        long wait = capsWait(now);
        if (wait > 0) {
          pausedUntilNanos = now + wait;
          paused = true;
          break;
        }
        List<BufferedEntry<E>> entries = q.take(now, draining, sender);
        if (entries.isEmpty()) {
          break;
        }
        chargeCaps(now, entries);
        q.inFlight++;
        inFlightRequests++;
        inFlightCount += entries.size();
        bufferedCount -= entries.size();
        metrics.sent(entries.size());
        Batch<E> b = new Batch<>(q, entries);
        inFlightBatches.add(b);
        if (ready == null) {
          ready = new ArrayList<>();
        }
        ready.add(b);
        took = true;
      }
      if (took) {
        it.remove();
        if (sent == null) {
          sent = new ArrayList<>();
        }
        sent.add(q);
      }
    }
    if (sent != null) {
      for (PartitionQueue<E> q : sent) {
        partitions.put(q.key, q);
      }
    }
    return ready == null ? List.of() : ready;
  }

  /** 0 when every cap lets one more request go now, else how long to wait. */
  private long capsWait(long now) {
    if (draining) {
      return 0;
    }
    long wait = 0;
    for (RequestRateCap cap : caps) {
      wait = Math.max(wait, cap.waitNanos(now));
    }
    return wait;
  }

  private void chargeCaps(long now, List<BufferedEntry<E>> entries) {
    if (caps.isEmpty() || draining) {
      return;
    }
    long bytes = 0;
    for (BufferedEntry<E> e : entries) {
      bytes += e.size;
    }
    for (RequestRateCap cap : caps) {
      cap.charge(now, bytes);
    }
  }

  /**
   * Batches the router thread made ready go to the context's request thread: the sender builds,
   * marshals and signs there, and the router thread goes back to routing.
   */
  private void handOff(List<Batch<E>> ready) {
    if (ready.isEmpty()) {
      return;
    }
    try {
      context.requests().execute(() -> dispatchAll(ready));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      dispatchAll(ready); // the process is closing: send from here
    }
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
          complete(batch, results, error);
        });
  }

  /**
   * {@code requests_total{outcome}}: {@code success} (every entry taken), {@code partial}
   * (answered, some entries refused, throttled entries among them), {@code throttled} (the call
   * itself throttled or a 5xx), {@code error} (no usable answer).
   */
  private static String outcomeLabel(BatchOutcome<?> outcome, Throwable error) {
    if (error != null) {
      return outcome.throttled() ? "throttled" : "error";
    }
    return outcome.clean() ? "success" : "partial";
  }

  private void complete(Batch<E> batch, List<EntryResult> results, Throwable error) {
    long now = nanos.getAsLong();
    List<BufferedEntry<E>> entries = batch.entries();
    BatchOutcome<E> outcome =
        BatchOutcome.of(
            entries, results, error == null ? null : sender.failure(error), now, options);
    metrics.request(outcomeLabel(outcome, error));
    for (BatchOutcome.DeadLetter<E> d : outcome.deadLetters) {
      deadLetters.answered(d.entry().tag, d.entry().event, d.reason());
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
    List<ChunkTicket> release = new ArrayList<>();
    long settledCost = 0;
    synchronized (this) {
      for (BufferedEntry<E> e : outcome.delivered) {
        settledCost += settle(e, release);
      }
      for (BatchOutcome.DeadLetter<E> d : outcome.deadLetters) {
        settledCost += settle(d.entry(), release);
      }
    }
    // Chunks are released before the request counts as answered: a drain that sees nothing in
    // flight has every ack out.
    for (ChunkTicket t : release) {
      t.release();
    }
    synchronized (this) {
      inFlightBatches.remove(batch);
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
      changed();
    }
    if (spooled > 0 && ticker != null && refillScheduled.compareAndSet(false, true)) {
      // Memory came free: read spooled records back, on the scheduler (no disk I/O here).
      context.scheduler().execute(this::refill);
    }
    // A request came back: what gathered meanwhile goes now (retries keep their backoff).
    pump(!throttled);
  }

  /** Settles an entry under the lock; its ticket goes to {@code release}. Returns its cost. */
  private long settle(BufferedEntry<E> e, List<ChunkTicket> release) {
    ChunkTicket t = e.settle();
    if (t != null) {
      release.add(t);
    }
    return e.cost;
  }

  /**
   * Reads spooled records back into the memory that came free, oldest first, converting them as
   * {@link #accept} does. Scheduler thread (or a test's, or the drain's).
   */
  void refill() {
    DiskSpill<E> s = spill;
    if (s == null) {
      return;
    }
    synchronized (refillLock) {
      refillScheduled.set(false);
      if (closed) {
        return;
      }
      for (int round = 0; round < REFILL_ROUNDS; round++) {
        long room;
        synchronized (this) {
          if (spooled == 0) {
            break;
          }
          room = context.memoryQuota() - heldCost;
          if (room <= 0 && heldCost > 0) {
            break;
          }
        }
        List<DiskSpill.Refilled<E>> read = s.read(Math.max(1, room / 2), REFILL_RECORDS);
        long lost = s.takeLost();
        if (!enqueueRefilled(read, lost)) {
          break;
        }
        // As at the end of a ring batch: partial batches go at once if nothing is in flight.
        boolean idle;
        synchronized (this) {
          idle = inFlightRequests == 0;
        }
        pump(idle);
      }
      if (s.deleteSettled()) {
        synchronized (this) {
          changed();
        }
      }
    }
  }

  /** Puts records read back into their partitions; false when nothing was read. */
  private boolean enqueueRefilled(List<DiskSpill.Refilled<E>> read, long lost) {
    long now = nanos.getAsLong();
    long nowMillis = context.clock().millis();
    List<DiskSpill.Refilled<E>> refused = new ArrayList<>();
    synchronized (this) {
      for (DiskSpill.Refilled<E> r : read) {
        EntryConverter.Converted<E> c = r.converted();
        if (c.refused() != null) {
          refused.add(r);
          continue;
        }
        SpoolFrame f = r.frame();
        long waited = Math.max(0, nowMillis - f.receivedMillis()) * 1_000_000L;
        BufferedEntry<E> e =
            new BufferedEntry<>(
                f.tag(), f.event(), null, c.entry(), sender.size(c.entry()), now - waited);
        e.segment = r.segment();
        enqueue(c.partition(), e, true);
      }
      spooled -= read.size() + lost;
      if (lost > 0) {
        metrics.bufferedDropped("spool_damaged", lost);
      }
      if (spooled == 0) {
        changed();
      }
    }
    for (DiskSpill.Refilled<E> r : refused) {
      deadLetters.buffered(r.frame().tag(), r.frame().event(), r.converted().refused());
      r.segment().settled();
    }
    return !read.isEmpty() || lost > 0;
  }

  /**
   * Writes to the spool the entries whose chunks waited {@link #PERSIST_AFTER_NANOS} in memory,
   * then releases those chunks: the entries stay in memory and are sent from there, and after a
   * crash the spool has them. At most once a second; scheduler thread.
   */
  private void persistWaiting() {
    long now = nanos.getAsLong();
    List<BufferedEntry<E>> waiting = new ArrayList<>();
    synchronized (this) {
      if (now - lastPersistNanos < PERSIST_EVERY_NANOS && lastPersistNanos != Long.MIN_VALUE) {
        return;
      }
      lastPersistNanos = now;
      java.util.function.Consumer<BufferedEntry<E>> pick =
          e -> {
            if (e.ticket != null && !e.settled && now - e.arrivalNanos >= PERSIST_AFTER_NANOS) {
              waiting.add(e);
            }
          };
      partitions.values().forEach(q -> q.forEachWaiting(pick));
      inFlightBatches.forEach(b -> b.entries().forEach(pick));
    }
    if (waiting.isEmpty()) {
      return;
    }
    long nowMillis = context.clock().millis();
    List<Long> received = new ArrayList<>(waiting.size());
    for (BufferedEntry<E> e : waiting) {
      received.add(nowMillis - (now - e.arrivalNanos) / 1_000_000L);
    }
    DiskSpill.Persisted written = spill.persist(waiting, received);
    List<ChunkTicket> release = new ArrayList<>();
    synchronized (this) {
      for (int i = 0; i < written.segments().size(); i++) {
        BufferedEntry<E> e = waiting.get(i);
        SpoolSegment s = written.segments().get(i);
        if (e.settled) {
          s.settled();
          continue;
        }
        e.segment = s;
        if (written.flushed() && e.ticket != null) {
          release.add(e.ticket);
          e.ticket = null;
        }
      }
    }
    for (ChunkTicket t : release) {
      t.release();
    }
  }

  @Override
  public DrainReport drain(Instant deadline) {
    synchronized (this) {
      draining = true;
      long latest = nanos.getAsLong() + DRAIN_RETRY_CAP_NANOS;
      partitions.values().forEach(q -> q.capRetries(latest));
    }
    while (true) {
      refill();
      pump(true);
      synchronized (this) {
        boolean empty = bufferedCount == 0 && inFlightRequests == 0 && spooled == 0;
        if (empty || !Instant.now().isBefore(deadline)) {
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
    }
    DiskSpill<E> s = spill;
    if (s != null) {
      refill(); // deletes what was settled
      closed = true;
      synchronized (refillLock) {
        s.close();
      }
    }
    synchronized (this) {
      long left = bufferedCount + inFlightCount + spooled;
      DestinationState state = health.state();
      return left == 0
          ? DrainReport.clean(name(), metrics.deliveredCount())
          : new DrainReport(
              name(),
              metrics.deliveredCount(),
              left,
              "deadline passed"
                  + (inFlightCount > 0
                      ? "; " + inFlightCount + " in requests not answered yet"
                      : "")
                  + (state.health() == DestinationState.Health.HEALTHY
                      ? ""
                      : "; last state: " + state.health() + " " + state.lastError()));
    }
  }

  @Override
  public DestinationState state() {
    return health.state();
  }

  /** The spool, for {@code /routes}: records waiting on disk, bytes used and the bound. */
  @Override
  public Map<String, Object> status() {
    DiskSpill<E> s = spill;
    if (s == null) {
      return Map.of();
    }
    Map<String, Object> spool = new LinkedHashMap<>();
    spool.put("records", spooled);
    spool.put("bytes", s.diskBytes());
    spool.put("max_bytes", s.maxDisk());
    return Map.of("spool", spool);
  }
}
