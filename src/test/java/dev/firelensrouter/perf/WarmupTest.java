package dev.firelensrouter.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firelensrouter.loadgen.LatencySamples;
import dev.firelensrouter.loadgen.LoadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scenario's {@code warmup}: load at the scenario's rate before the measured window, whose
 * records are counted but whose rate is not (a JVM still compiling runs slower for its first
 * seconds, and a short run would report that instead of what the router sustains).
 */
class WarmupTest {
  @TempDir Path dir;

  private Scenario scenario(String yaml) throws Exception {
    Files.writeString(dir.resolve("null.yaml"), "outputs: {}\n");
    Path file = dir.resolve("s.yaml");
    Files.writeString(file, "config: null.yaml\n" + yaml);
    return Scenario.read(file);
  }

  /** A report of a run that sent {@code load} with these progress snapshots. */
  private static Report report(Scenario s, LoadResult load, List<PerfRunner.Progress> progress) {
    return new Report(
        s,
        load,
        new RecordCount.Result(0, 0, 0, 0, 0, 0, new LatencySamples(16)),
        0,
        new LatencySamples(16),
        List.of(),
        progress,
        List.of(),
        "",
        0,
        Set.of(),
        Report.ROUTER);
  }

  @Test
  void theRateIsMeasuredAfterTheWarmUpAndTheWholeRunIsStillShown() throws Exception {
    Scenario s = scenario("rate: 50000\nwarmup: 10s\nduration: 20s\n");
    assertThat(s.warmup()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.duration()).isEqualTo(Duration.ofSeconds(20));
    // 20k records/s while the JIT compiles, then 50k records/s.
    List<PerfRunner.Progress> progress =
        List.of(
            new PerfRunner.Progress(1.0, 20_000),
            new PerfRunner.Progress(10.0, 200_000),
            new PerfRunner.Progress(20.0, 700_000),
            new PerfRunner.Progress(30.0, 1_200_000));
    Report r =
        report(s, new LoadResult(1_200_000, 1_200_000, 1_200_000_000L, 0, 0, 30.0), progress);
    assertThat(r.measuredRate()).isEqualTo(50_000.0);
    assertThat(r.throughputText())
        .isEqualTo("50000 records/s, 50.0 MB/s after a 10 s warm-up (40000 records/s with it)");
    assertThat(r.headline()).containsEntry("records/s (acked)", "50,000");
  }

  @Test
  void withoutAWarmUpTheWholeRunIsTheMeasure() throws Exception {
    Scenario s = scenario("rate: 1000\nduration: 10s\n");
    assertThat(s.warmup()).isZero();
    Report r =
        report(
            s,
            new LoadResult(10_000, 10_000, 10_000_000L, 0, 0, 10.0),
            List.of(new PerfRunner.Progress(5.0, 2_000), new PerfRunner.Progress(10.0, 10_000)));
    assertThat(r.throughputText()).isEqualTo("1000 records/s, 1.0 MB/s");
    assertThat(r.verdictLine()).endsWith("router exit 0");
  }

  @Test
  void aWarmUpWithPhasesIsRefused() {
    assertThatThrownBy(
            () ->
                scenario(
                    "warmup: 5s\nphases:\n  - {for: 10s, rate: 100}\n  - {for: 5s, rate: 1000}\n"))
        .hasMessageContaining("warmup and phases");
  }
}
