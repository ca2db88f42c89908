package dev.firelensrouter.sink;

import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A destination's health for {@code /routes} and the log: throttled or failing at the first
 * trouble, healthy again once a request went through and a quiet period without trouble passed
 * (also when no request follows: an output that caught up and went idle recovers). Each change is
 * one log line, and one output writes at most one such line per {@link #LOG_INTERVAL}: changes in
 * between (an API flapping between throttling and errors on every call) are counted and told with
 * the next line, written as soon as the interval has passed and the output is next heard from.
 */
public final class DestinationHealth {
  private static final Logger LOG = LoggerFactory.getLogger(DestinationHealth.class);
  static final Duration RECOVERY = Duration.ofSeconds(10);
  public static final Duration LOG_INTERVAL = Duration.ofSeconds(30);

  private final String output;
  private volatile DestinationState state = DestinationState.HEALTHY;
  private long lastTroubleNanos;
  private boolean okSinceTrouble;
  private boolean everLogged;
  private long loggedAtNanos;
  private int unlogged;

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
      state = DestinationState.HEALTHY;
      changed(nowNanos);
    } else {
      catchUp(nowNanos);
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
    boolean change = next.health() != state.health();
    state = next;
    if (change) {
      changed(nowNanos);
    } else {
      catchUp(nowNanos);
    }
  }

  private void changed(long nowNanos) {
    if (!everLogged || nowNanos - loggedAtNanos >= LOG_INTERVAL.toNanos()) {
      write(nowNanos);
    } else {
      unlogged++;
    }
  }

  /** Changes went unlogged and the interval is over: say where the output is now. */
  private void catchUp(long nowNanos) {
    if (unlogged > 0 && nowNanos - loggedAtNanos >= LOG_INTERVAL.toNanos()) {
      write(nowNanos);
    }
  }

  private void write(long nowNanos) {
    String more =
        unlogged == 0
            ? ""
            : " (" + unlogged + " more changes in the last " + LOG_INTERVAL.toSeconds() + " s)";
    String health = state.health().name().toLowerCase(Locale.ROOT);
    boolean healthy = state.health() == DestinationState.Health.HEALTHY;
    LOG.atLevel(healthy ? Level.INFO : Level.WARN)
        .addKeyValue("output", output)
        .addKeyValue("state", health)
        .log(
            healthy
                ? "output " + output + " recovered" + more
                : "output " + output + " is " + health + ": " + state.lastError() + more);
    everLogged = true;
    loggedAtNanos = nowNanos;
    unlogged = 0;
  }
}
