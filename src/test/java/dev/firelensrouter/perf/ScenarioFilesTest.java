package dev.firelensrouter.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.sandbox.ApiFaults;
import dev.firelensrouter.sandbox.S3Faults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every shipped scenario reads, and the burst and fault scenarios mean what their files say. */
class ScenarioFilesTest {
  private static final Path SCENARIOS = Path.of("perf/scenarios");

  @TempDir Path dir;

  @Test
  void everyShippedScenarioReadsAndNamesAConfigThatExists() throws IOException {
    try (Stream<Path> files = Files.list(SCENARIOS)) {
      List<Path> all = files.filter(p -> p.toString().endsWith(".yaml")).toList();
      assertThat(all).hasSizeGreaterThan(5);
      for (Path f : all) {
        Scenario s = Scenario.read(f);
        assertThat(s.config()).as(f.toString()).exists();
        assertThat(s.duration()).as(f.toString()).isPositive();
      }
    }
  }

  @Test
  void theDefaultRouterJvmOptionsStartThisJvm() throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Scenario.DEFAULT_JVM);
    command.add("-version");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(Scenario.defaultJvm(17)).contains("-XX:+UnlockExperimentalVMOptions");
    assertThat(Scenario.defaultJvm(25)).doesNotContain("-XX:+UnlockExperimentalVMOptions");
  }

  @Test
  void theBurstScenarioIsTenTimesItsBaseForThirtySeconds() throws IOException {
    Scenario s = Scenario.read(SCENARIOS.resolve("burst-10x.yaml"));
    assertThat(s.phases()).hasSize(3);
    assertThat(s.phases().get(1).rate()).isEqualTo(10 * s.phases().get(0).rate());
    assertThat(s.phases().get(1).length()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.duration()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void theS3OutageScenarioThrottlesS3ForAMinute() throws IOException {
    Scenario s = Scenario.read(SCENARIOS.resolve("s3-outage.yaml"));
    assertThat(s.faults())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.service()).isEqualTo("s3");
              assertThat(f.length()).isEqualTo(Duration.ofSeconds(60));
              assertThat(f.s3())
                  .isEqualTo(
                      S3Faults.NONE
                          .withSlowDown(0.7)
                          .withResets(0.1)
                          .withLatency(Duration.ofMillis(500)));
            });
  }

  @Test
  void aFaultWithAnUnknownServiceKeyOrABadRatioIsRefusedBeforeTheRun() throws IOException {
    ObjectMapper json = new ObjectMapper();
    assertThatThrownBy(() -> Fault.read(json.readTree("{\"service\":\"sqs\",\"throttle\":0.5}")))
        .hasMessageContaining("logs, firehose or s3");
    assertThatThrownBy(() -> Fault.read(json.readTree("{\"service\":\"logs\",\"throttle\":5}")))
        .hasMessageContaining("between 0 and 1");
    assertThatThrownBy(() -> Fault.read(json.readTree("{\"service\":\"s3\",\"slowdown\":0.5}")))
        .hasMessageContaining("unknown fault 'slowdown'");
    assertThat(
            Fault.read(json.readTree("{\"service\":\"firehose\",\"partial_failures\":0.05}")).api())
        .isEqualTo(ApiFaults.NONE.withPartialFailures(0.05));
  }
}
