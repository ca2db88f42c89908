package dev.firelensrouter.loadgen;

import java.util.ArrayList;
import java.util.List;

/**
 * Request latencies per second of a run, for the report's latency-over-time chart: each second
 * keeps a bounded sample (so p50 and p99 stay cheap at any rate) and its exact maximum.
 */
public final class LatencyTimeline {
  private static final int PER_SECOND = 512;

  /** One second of the run: its start (seconds since the run began) and latencies in ms. */
  public record Second(double seconds, double p50Millis, double p99Millis, double maxMillis) {}

  private final long startNanos;
  private final List<LatencySamples> seconds = new ArrayList<>();
  private final List<Long> maxima = new ArrayList<>();

  public LatencyTimeline(long startNanos) {
    this.startNanos = startNanos;
  }

  /** A request that ended at {@code endNanos} after {@code latencyNanos}. */
  public synchronized void add(long endNanos, long latencyNanos) {
    int s = (int) Math.max(0, (endNanos - startNanos) / 1_000_000_000L);
    while (seconds.size() <= s) {
      seconds.add(new LatencySamples(PER_SECOND));
      maxima.add(0L);
    }
    seconds.get(s).add(latencyNanos);
    maxima.set(s, Math.max(maxima.get(s), latencyNanos));
  }

  /** The seconds in which some request ended, in order. */
  public synchronized List<Second> seconds() {
    List<Second> out = new ArrayList<>();
    for (int s = 0; s < seconds.size(); s++) {
      LatencySamples l = seconds.get(s);
      if (l.count() > 0) {
        out.add(new Second(s, l.quantileMillis(0.5), l.quantileMillis(0.99), maxima.get(s) / 1e6));
      }
    }
    return out;
  }
}
