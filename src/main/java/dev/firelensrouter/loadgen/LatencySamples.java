package dev.firelensrouter.loadgen;

import java.util.Arrays;

/** Up to a fixed number of latency samples (nanoseconds); later ones replace earlier at random. */
public final class LatencySamples {
  private final long[] samples;
  private long seen;
  private final java.util.SplittableRandom random = new java.util.SplittableRandom(42);

  public LatencySamples(int capacity) {
    this.samples = new long[capacity];
  }

  public synchronized void add(long nanos) {
    if (seen < samples.length) {
      samples[(int) seen] = nanos;
    } else {
      long slot = random.nextLong(seen + 1);
      if (slot < samples.length) {
        samples[(int) slot] = nanos;
      }
    }
    seen++;
  }

  /** How many samples were offered. */
  public synchronized long count() {
    return seen;
  }

  /** The {@code q} quantile (0..1) in milliseconds, or 0 with no samples. */
  public synchronized double quantileMillis(double q) {
    int n = (int) Math.min(seen, samples.length);
    if (n == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    int i = (int) Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
    return sorted[i] / 1e6;
  }
}
