package dev.firelensrouter.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DestinationHealthTest {
  private static final long SECOND = 1_000_000_000L;
  private final DestinationHealth health = new DestinationHealth("app_logs");

  @Test
  void troubleShowsAtOnceWithItsReason() {
    health.failing(0, "AccessDeniedException");
    assertThat(health.state().health()).isEqualTo(DestinationState.Health.FAILING);
    assertThat(health.state().lastError()).contains("AccessDeniedException");
    health.throttled(SECOND, "ThrottlingException");
    assertThat(health.state().health()).isEqualTo(DestinationState.Health.THROTTLED);
  }

  @Test
  void aSuccessRightAfterTroubleIsNotYetRecovery() {
    health.failing(0, "InternalError");
    health.ok(SECOND);
    assertThat(health.state().health()).isEqualTo(DestinationState.Health.FAILING);
  }

  @Test
  void anOutputThatCaughtUpAndWentIdleRecoversWhenTheQuietPeriodEnds() {
    health.failing(0, "AccessDeniedException");
    health.ok(2 * SECOND);
    health.tick(9 * SECOND);
    assertThat(health.state().health()).isEqualTo(DestinationState.Health.FAILING);
    health.tick(DestinationHealth.RECOVERY.toNanos());
    assertThat(health.state().health()).isEqualTo(DestinationState.Health.HEALTHY);
  }

  @Test
  void withoutASuccessSinceTheTroubleTimeAloneDoesNotRecover() {
    health.ok(0);
    health.failing(SECOND, "AccessDeniedException");
    health.tick(SECOND + 60 * SECOND);
    assertThat(health.state().health()).isEqualTo(DestinationState.Health.FAILING);
  }
}
