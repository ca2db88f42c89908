package dev.firelensrouter.sink;

import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A destination's health for {@code /routes} and the log: throttled or failing at the first
 * trouble, healthy again once a request went through and a quiet period without trouble passed
 * (also when no request follows: an output that caught up and went idle recovers), so a flapping
 * API logs one line each way instead of one per call.
 */
public final class DestinationHealth {
  private static final Logger LOG = LoggerFactory.getLogger(DestinationHealth.class);
  static final Duration RECOVERY = Duration.ofSeconds(10);

  private final String output;
  private volatile DestinationState state = DestinationState.HEALTHY;
  private long lastTroubleNanos;
  private boolean okSinceTrouble;

  public DestinationHealth(String output) {
    this.output = output;
  }

  public DestinationState state() {
    return state;
  }

  /** A request went through without trouble. */
  public synchronized void ok(long nowNanos) {
    okSinceTrouble = true;
    tick(nowNanos);
  }

  /** Time passed: a destination that answered well since its last trouble may have recovered. */
  public synchronized void tick(long nowNanos) {
    if (state.health() != DestinationState.Health.HEALTHY
        && okSinceTrouble
        && nowNanos - lastTroubleNanos >= RECOVERY.toNanos()) {
      LOG.info("output {} recovered", output);
      state = DestinationState.HEALTHY;
    }
  }

  /** The service throttled us (or said to slow down). */
  public synchronized void throttled(long nowNanos, String reason) {
    trouble(nowNanos, DestinationState.throttled(reason));
  }

  /** A request or some of its entries failed for another reason. */
  public synchronized void failing(long nowNanos, String reason) {
    trouble(nowNanos, DestinationState.failing(reason));
  }

  private void trouble(long nowNanos, DestinationState next) {
    lastTroubleNanos = nowNanos;
    okSinceTrouble = false;
    if (next.health() != state.health()) {
      LOG.warn(
          "output {} is {}: {}",
          output,
          next.health().name().toLowerCase(Locale.ROOT),
          next.lastError());
    }
    state = next;
  }
}
