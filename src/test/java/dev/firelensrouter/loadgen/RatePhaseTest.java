package dev.firelensrouter.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatePhaseTest {
  private static final List<RatePhase> BURST =
      List.of(
          new RatePhase(Duration.ofSeconds(1), 100), new RatePhase(Duration.ofSeconds(1), 1000));

  private static double dueSeconds(long n, int connections) {
    return RatePhase.dueNanos(BURST, n, connections) / 1e9;
  }

  @Test
  void recordsAreDueAtEachPhasesRate() {
    assertThat(dueSeconds(0, 1)).isEqualTo(0.0);
    assertThat(dueSeconds(50, 1)).isEqualTo(0.5);
    assertThat(dueSeconds(100, 1)).isEqualTo(1.0);
    assertThat(dueSeconds(600, 1)).isEqualTo(1.5);
  }

  @Test
  void theLastPhasesRateGoesOnAfterItsEnd() {
    assertThat(dueSeconds(1100, 1)).isEqualTo(2.0);
    assertThat(dueSeconds(1600, 1)).isEqualTo(2.5);
  }

  @Test
  void connectionsShareEachPhasesRate() {
    // Four connections: 25 records/s each in the first phase, 250/s in the second.
    assertThat(dueSeconds(25, 4)).isEqualTo(1.0);
    assertThat(dueSeconds(150, 4)).isEqualTo(1.5);
  }
}
