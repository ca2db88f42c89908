package dev.firelensrouter.sink;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** State changes of an output are logged one line each, and a flapping output cannot flood. */
class DestinationHealthTest {
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(DestinationHealth.class);
  private final DestinationHealth health = new DestinationHealth("lake");

  @BeforeEach
  void capture() {
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void release() {
    logger.detachAppender(log);
  }

  @Test
  void eachChangeIsOneLineNamingTheOutput() {
    health.ok(s(0));
    health.throttled(s(1), "ThrottlingException (request id a)");
    health.throttled(s(2), "ThrottlingException (request id b)");
    health.ok(s(5));
    assertThat(health.state().health()).isEqualTo(DestinationState.Health.THROTTLED);
    health.ok(s(40));
    assertThat(health.state()).isEqualTo(DestinationState.HEALTHY);
    health.ok(s(41));

    assertThat(messages())
        .containsExactly(
            "output lake is throttled: ThrottlingException (request id a)",
            "output lake recovered");
    assertThat(log.list)
        .allSatisfy(
            e ->
                assertThat(e.getKeyValuePairs())
                    .anySatisfy(
                        kv -> {
                          assertThat(kv.key).isEqualTo("output");
                          assertThat(kv.value).isEqualTo("lake");
                        }));
  }

  @Test
  void anOutputFlappingOnEveryCallWritesOneLinePerIntervalWithTheCountOfTheRest() {
    long t = s(0);
    for (int i = 0; i < 1000; i++) {
      t += Duration.ofMillis(20).toNanos();
      if (i % 2 == 0) {
        health.throttled(t, "ThrottlingException");
      } else {
        health.failing(t, "ServiceUnavailableException (status 503)");
      }
    }
    // 20 s of flapping, every call a change: one line so far.
    assertThat(messages()).containsExactly("output lake is throttled: ThrottlingException");

    // The interval has passed: the next call tells where the output is and how often it changed.
    health.failing(s(31), "ServiceUnavailableException (status 503)");
    assertThat(messages())
        .hasSize(2)
        .last()
        .asString()
        .startsWith("output lake is failing: ServiceUnavailableException (status 503)")
        .contains("(999 more changes in the last 30 s)");

    // Recovered 10 s after the last trouble, but within the interval: told at the next call after.
    health.ok(s(45));
    assertThat(health.state()).isEqualTo(DestinationState.HEALTHY);
    assertThat(messages()).hasSize(2);
    health.ok(s(62));
    assertThat(messages())
        .hasSize(3)
        .last()
        .asString()
        .isEqualTo("output lake recovered (1 more changes in the last 30 s)");
    health.ok(s(100));
    assertThat(messages()).hasSize(3);
  }

  private List<String> messages() {
    return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  private static long s(int seconds) {
    return Duration.ofSeconds(seconds).toNanos();
  }

  @Test
  void troubleShowsAtOnceWithItsReason() {
    health.failing(s(0), "AccessDeniedException");
    assertThat(health.state().health()).isEqualTo(DestinationState.Health.FAILING);
    assertThat(health.state().lastError()).contains("AccessDeniedException");
    health.throttled(s(1), "ThrottlingException");
    assertThat(health.state().health()).isEqualTo(DestinationState.Health.THROTTLED);
  }

  @Test
  void aSuccessRightAfterTroubleIsNotYetRecovery() {
    health.failing(s(0), "InternalError");
    health.ok(s(1));
    assertThat(health.state().health()).isEqualTo(DestinationState.Health.FAILING);
  }

  @Test
  void anOutputThatCaughtUpAndWentIdleRecoversWhenTheQuietPeriodEnds() {
    health.failing(s(0), "AccessDeniedException");
    health.ok(s(2));
    health.tick(s(9));
    assertThat(health.state().health()).isEqualTo(DestinationState.Health.FAILING);
    health.tick(DestinationHealth.RECOVERY.toNanos());
    assertThat(health.state().health()).isEqualTo(DestinationState.Health.HEALTHY);
  }

  @Test
  void withoutASuccessSinceTheTroubleTimeAloneDoesNotRecover() {
    health.ok(s(0));
    health.failing(s(1), "AccessDeniedException");
    health.tick(s(61));
    assertThat(health.state().health()).isEqualTo(DestinationState.Health.FAILING);
  }
}
