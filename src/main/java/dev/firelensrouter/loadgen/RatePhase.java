package dev.firelensrouter.loadgen;

import java.time.Duration;
import java.util.List;

/**
 * One step of a load that changes over time: {@code rate} records per second for {@code length} (a
 * 10x burst is three phases). Pacing follows the phases by record count, so a connection that fell
 * behind catches up as fast as the target lets it, as a real client's backlog would.
 */
public record RatePhase(Duration length, long rate) {
  public RatePhase {
    if (rate <= 0) {
      throw new IllegalArgumentException("a phase needs a rate above 0");
    }
  }

  /**
   * When record {@code n} of one connection is due, in nanoseconds after the start, with the
   * phases' rates shared by {@code connections}; after the last phase its rate goes on.
   */
  static long dueNanos(List<RatePhase> phases, long n, int connections) {
    double elapsed = 0;
    double before = 0;
    for (int i = 0; i < phases.size(); i++) {
      RatePhase p = phases.get(i);
      double perConnection = (double) p.rate() / connections;
      double seconds = p.length().toNanos() / 1e9;
      double inPhase = perConnection * seconds;
      if (n < before + inPhase || i == phases.size() - 1) {
        return (long) ((elapsed + (n - before) / perConnection) * 1e9);
      }
      before += inPhase;
      elapsed += seconds;
    }
    return 0;
  }
}
