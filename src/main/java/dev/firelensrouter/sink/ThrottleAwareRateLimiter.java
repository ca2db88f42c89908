package dev.firelensrouter.sink;

/**
 * How many requests a destination may have in flight: additive increase on success, multiplicative
 * decrease on a throttle or a server error (AIMD, as Flink's AsyncSinkWriter), so that a throttled
 * API is not hammered and the rate grows back when it recovers.
 */
public final class ThrottleAwareRateLimiter {
  private final int max;
  private double allowed;

  public ThrottleAwareRateLimiter(int max) {
    this.max = max;
    this.allowed = max;
  }

  public synchronized int allowedInFlight() {
    return Math.max(1, (int) allowed);
  }

  public synchronized void onSuccess() {
    allowed = Math.min(max, allowed + 1.0 / Math.max(1, (int) allowed));
  }

  public synchronized void onThrottle() {
    allowed = Math.max(1, allowed / 2);
  }

  public synchronized boolean isThrottled() {
    return allowed < max;
  }
}
