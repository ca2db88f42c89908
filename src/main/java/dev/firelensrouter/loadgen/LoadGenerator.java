package dev.firelensrouter.loadgen;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Drives a {@link LoadSpec}: one thread per connection, each paced to its share of the rate,
 * sending batches of {@code batch} records. A request that fails (closed connection, no ack in
 * time) is sent again on a new connection, as Fluent Bit would, and counted as a retry.
 */
public final class LoadGenerator {
  private final LoadSpec spec;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong failedConnections = new AtomicLong();
  private final long[] sentPerConnection;
  private final LatencySamples latencies = new LatencySamples(1 << 20);
  private volatile LatencyTimeline timeline = new LatencyTimeline(System.nanoTime());
  private volatile boolean stop;

  public LoadGenerator(LoadSpec spec) {
    this.spec = spec;
    this.sentPerConnection = new long[spec.connections()];
  }

  /**
   * Records connection {@code c} sent (and had acked, with acks on): ids {@code c-0 .. c-(n-1)}.
   */
  public long sentOn(int connection) {
    synchronized (sentPerConnection) {
      return sentPerConnection[connection];
    }
  }

  /**
   * Request round trips (send to ack) in nanoseconds, or send times without acks, after the
   * warm-up.
   */
  public LatencySamples latencies() {
    return latencies;
  }

  /** The same round trips second by second since the run started. */
  public LatencyTimeline timeline() {
    return timeline;
  }

  /** Runs to the end; {@code progress} gets a snapshot about once a second. */
  public LoadResult run(Consumer<LoadResult> progress) throws InterruptedException {
    long start = System.nanoTime();
    timeline = new LatencyTimeline(start);
    long end = start + spec.duration().toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < spec.connections(); c++) {
      int index = c;
      Thread t = new Thread(() -> drive(index, start, end), "loadgen-" + c);
      t.start();
      threads.add(t);
    }
    while (threads.stream().anyMatch(Thread::isAlive)) {
      threads.get(0).join(1000);
      for (Thread t : threads) {
        if (t.isAlive()) {
          t.join(Math.max(1, 1000 / threads.size()));
        }
      }
      progress.accept(snapshot(start));
    }
    return snapshot(start);
  }

  public void stop() {
    stop = true;
  }

  private LoadResult snapshot(long start) {
    return new LoadResult(
        sent.get(),
        acked.get(),
        bytes.get(),
        retries.get(),
        failedConnections.get(),
        (System.nanoTime() - start) / 1e9);
  }

  private void drive(int index, long start, long end) {
    long perConnection = spec.count() > 0 ? share(spec.count(), index) : Long.MAX_VALUE;
    double rate = spec.rate() > 0 ? (double) spec.rate() / spec.connections() : 0;
    long seq = 0;
    long warmupNanos = spec.warmup().toNanos();
    ForwardConnection conn = null;
    try {
      while (!stop && seq < perConnection && System.nanoTime() < end) {
        int n = (int) Math.min(spec.batch(), perConnection - seq);
        if (!spec.phases().isEmpty() || rate > 0) {
          long due =
              start
                  + (spec.phases().isEmpty()
                      ? (long) (seq / rate * 1e9)
                      : RatePhase.dueNanos(spec.phases(), seq, spec.connections()));
          long wait = due - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
        }
        try {
          if (conn == null) {
            conn = new ForwardConnection(spec, index);
          }
          long t0 = System.nanoTime();
          bytes.addAndGet(conn.send(seq, n));
          long t1 = System.nanoTime();
          if (t1 - start >= warmupNanos) {
            latencies.add(t1 - t0);
          }
          timeline.add(t1, t1 - t0);
          sent.addAndGet(n);
          if (spec.ack()) {
            acked.addAndGet(n);
          }
          seq += n;
          synchronized (sentPerConnection) {
            sentPerConnection[index] = seq;
          }
        } catch (IOException e) {
          failedConnections.incrementAndGet();
          closeQuietly(conn);
          conn = null;
          if (seq > 0 || failedConnections.get() > 1) {
            retries.addAndGet(n);
          }
          LockSupport.parkNanos(100_000_000L);
        }
      }
    } finally {
      closeQuietly(conn);
    }
  }

  private long share(long total, int index) {
    long base = total / spec.connections();
    return base + (index < total % spec.connections() ? 1 : 0);
  }

  private static void closeQuietly(ForwardConnection conn) {
    if (conn != null) {
      try {
        conn.close();
      } catch (Exception e) {
        // already broken
      }
    }
  }
}
