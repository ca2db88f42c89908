package dev.firelensrouter.sink;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Capped exponential backoff with full jitter: the delay before attempt {@code n} (1 = the first
 * retry) is uniform in {@code [0, min(cap, base * 2^(n-1))]}, so retries of many partitions spread
 * out instead of arriving together.
 */
public record Backoff(Duration base, Duration cap) {
  /**
   * The first retry within 50 ms (a partial failure usually clears at once, and the chunk's ack
   * waits for it), doubling to 30 s under a lasting outage.
   */
  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(30));

  public Duration delay(int attempt, RandomGenerator random) {
    long ceiling = ceilingMillis(attempt);
    return Duration.ofMillis(ceiling == 0 ? 0 : random.nextLong(ceiling + 1));
  }

  /** The largest delay {@link #delay} can return for this attempt. */
  public long ceilingMillis(int attempt) {
    int shift = Math.min(Math.max(attempt - 1, 0), 30);
    long grown = base.toMillis() << shift;
    return Math.min(cap.toMillis(), grown < 0 ? Long.MAX_VALUE : grown);
  }
}
