package dev.firelensrouter.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyTimelineTest {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1000 * MS;

  @Test
  void eachSecondHasItsOwnQuantilesAndExactMaximum() {
    LatencyTimeline t = new LatencyTimeline(5 * SECOND);
    for (int i = 1; i <= 100; i++) {
      t.add(5 * SECOND + i * MS, i * MS); // second 0: 1..100 ms
    }
    t.add(7 * SECOND + 10 * MS, 900 * MS); // second 2: one slow request; second 1: none
    assertThat(t.seconds()).extracting(LatencyTimeline.Second::seconds).containsExactly(0.0, 2.0);
    LatencyTimeline.Second first = t.seconds().get(0);
    assertThat(first.p50Millis()).isEqualTo(50.0);
    assertThat(first.p99Millis()).isEqualTo(99.0);
    assertThat(first.maxMillis()).isEqualTo(100.0);
    assertThat(t.seconds().get(1).maxMillis()).isEqualTo(900.0);
  }

  @Test
  void theMaximumIsExactBeyondTheSampleSize() {
    LatencyTimeline t = new LatencyTimeline(0);
    for (int i = 0; i < 100_000; i++) {
      t.add(10 * MS, i == 77_777 ? 5_000 * MS : MS);
    }
    assertThat(t.seconds())
        .singleElement()
        .satisfies(s -> assertThat(s.maxMillis()).isEqualTo(5000.0));
  }
}
