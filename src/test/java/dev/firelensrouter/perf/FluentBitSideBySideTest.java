package dev.firelensrouter.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's Fluent Bit half against a real binary ({@code FLUENT_BIT=/path/to/fluent-bit};
 * skipped without one): the config it generates from a router config with a CloudWatch Logs and a
 * Firehose output makes Fluent Bit deliver every record to the same emulators (over HTTPS, which
 * its AWS outputs insist on), counted the same way; and a store it should have filled but left
 * empty fails the run instead of being skipped.
 */
@EnabledIfEnvironmentVariable(named = "FLUENT_BIT", matches = ".+")
class FluentBitSideBySideTest {
  @TempDir Path dir;

  private Scenario scenario(String config) throws Exception {
    Path file = dir.resolve("fb.yaml");
    Files.writeString(
        file,
        """
        description: "a few seconds through Fluent Bit"
        config: %s
        rate: 1000
        duration: 3s
        record_size: 300B
        connections: 2
        batch: 50
        """
            .formatted(Path.of(config).toAbsolutePath()));
    return Scenario.read(file);
  }

  @Test
  void fluentBitDeliversEveryRecordToTheCloudWatchAndFirehoseEmulators() throws Exception {
    Report report =
        FluentBitRun.run(
            scenario("perf/configs/aws-sandbox.yaml"),
            System.getenv("FLUENT_BIT"),
            dir.resolve("fb"),
            Set.of("cloudwatch", "firehose"));
    assertThat(report.passed()).as(report.verdictLine()).isTrue();
    assertThat(report.storesReached()).containsExactlyInAnyOrder("cloudwatch", "firehose");
    assertThat(report.verdictLine()).endsWith("Fluent Bit exit 0");
    assertThat(Files.readString(dir.resolve("fb/report.md"))).doesNotContain("router JVM");
    assertThat(Files.readString(dir.resolve("fb/fluent-bit.conf")))
        .contains("Name              cloudwatch_logs")
        .contains("Name              kinesis_firehose");
  }

  @Test
  void aStoreTheRouterFilledButFluentBitLeftEmptyFailsTheRun() throws Exception {
    // The router config sends everything to Firehose and CloudWatch; pretend the router's run
    // also filled S3: Fluent Bit never writes there, so the comparison must not pass.
    Report report =
        FluentBitRun.run(
            scenario("perf/configs/aws-sandbox.yaml"),
            System.getenv("FLUENT_BIT"),
            dir.resolve("fb"),
            Set.of("cloudwatch", "firehose", "s3"));
    assertThat(report.passed()).as(report.verdictLine()).isFalse();
    assertThat(report.verdictLine()).contains("missing");
  }
}
