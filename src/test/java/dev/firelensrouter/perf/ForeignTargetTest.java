package dev.firelensrouter.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.config.HostPort;
import dev.firelensrouter.testing.RunningRouter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness against targets it does not start: any Forward endpoint ({@code --target}, here a
 * router run by the test) counted from where that target writes, and the Fluent Bit config it
 * generates for {@code FLUENT_BIT=...} from a scenario's router config.
 */
class ForeignTargetTest {
  @TempDir Path dir;

  @Test
  void aTargetTheHarnessDidNotStartIsDrivenCountedAndReported() throws Exception {
    Path scenarioFile = dir.resolve("tiny.yaml");
    Files.writeString(
        scenarioFile,
        """
        description: "a few seconds against an endpoint started elsewhere"
        config: %s
        rate: 2000
        duration: 2s
        record_size: 200B
        connections: 2
        batch: 50
        tag: app.test
        """
            .formatted(Path.of("perf/configs/null.yaml").toAbsolutePath()));
    Scenario scenario = Scenario.read(scenarioFile);
    try (RunningRouter target =
        RunningRouter.start(dir.resolve("target"), RunningRouter.fileOutputConfig(""))) {
      Path results = dir.resolve("results");
      Files.createDirectories(results);
      Report report =
          PerfRunner.runAgainstTarget(
              scenario,
              new HostPort("127.0.0.1", target.forwardPort()),
              dir.resolve("target/out"),
              ProcessHandle.current().pid(),
              results);
      assertThat(report.passed()).as(report.verdictLine()).isTrue();
      long acked = Long.parseLong(report.headline().get("records acked").replace(",", ""));
      // 2 s at 2000/s is 4,100 in batches of 50; the run ends by the clock, so a stall near its
      // end on a loaded machine leaves out the last batches.
      assertThat(acked).as("most of 2 s at 2000/s").isGreaterThanOrEqualTo(3000);
      assertThat(report.headline().get("delivered / missing / duplicates"))
          .isEqualTo(acked + " / 0 / 0");
      assertThat(Files.readString(results.resolve("report.md")))
          .as("a target the harness did not start is not called the router")
          .contains("| records acked by the target |")
          .contains("the target exit 0")
          .doesNotContain("router JVM");

      SideBySide.write(results, scenario, "router A", report, "router B", report);
      assertThat(Files.readString(results.resolve("comparison.md")))
          .contains("| | router A | router B |")
          .contains(
              "| delivered / missing / duplicates | %d / 0 / 0 | %d / 0 / 0 |"
                  .formatted(acked, acked));
    }
  }

  @Test
  void theFluentBitConfigSaysWhatTheRouterConfigSaysAndPointsAtTheSameEmulators() throws Exception {
    Map<String, URI> endpoints =
        Map.of(
            "logs", URI.create("https://127.0.0.1:4001"),
            "firehose", URI.create("https://127.0.0.1:4002"),
            "s3", URI.create("http://127.0.0.1:4003"));
    String aws =
        FluentBitConfig.render(
            Path.of("perf/configs/aws-sandbox.yaml"),
            25000,
            endpoints,
            dir,
            dir.resolve("sandbox-tls.pem"));
    assertThat(aws)
        .contains("[INPUT]\n    Name   forward\n    Listen 127.0.0.1\n    Port   25000")
        .contains("Name              cloudwatch_logs")
        .contains("log_group_name    /ecs/perf")
        .contains(
            "endpoint          127.0.0.1\n    port              4001\n    tls.ca_file       "
                + dir.resolve("sandbox-tls.pem"))
        .contains("Name              kinesis_firehose")
        .contains("delivery_stream   lake")
        .contains("endpoint          127.0.0.1\n    port              4002\n");

    String archive =
        FluentBitConfig.render(Path.of("perf/configs/example-sandbox.yaml"), 25000, endpoints, dir);
    assertThat(archive)
        .contains("Name              s3")
        .contains("Match             nginx-firelens-*")
        .contains("bucket            my-log-archive")
        .contains("total_file_size   50M")
        .contains("endpoint          http://127.0.0.1:4003")
        .contains("Name              file");
  }

  @Test
  void laterRoutesTakeOnlyTheTagsNoEarlierRouteTookAsInTheRouter() throws Exception {
    // nginx-access (a tag glob and a field condition), errors (field conditions only), default.
    String conf =
        FluentBitConfig.render(
            Path.of("perf/configs/example-sandbox.yaml"), 25000, Map.of(), dir, null);
    assertThat(conf)
        .contains("# route 'errors' is field conditions only: not expressed")
        .contains(
            "    # router output 'everything_else'\n"
                + "    Name              file\n"
                + "    Match_Regex       ^(?!(?:nginx-firelens-.*)$)(?:.*)$\n"
                + "    Path              "
                + dir.resolve("out").resolve("everything_else")
                + "\n")
        .doesNotContain("router output 'errors'");
    java.util.regex.Pattern defaultRoute =
        java.util.regex.Pattern.compile("^(?!(?:nginx-firelens-.*)$)(?:.*)$");
    assertThat(defaultRoute.matcher("nginx-firelens-5f8a1c2d3e4b").matches()).isFalse();
    assertThat(defaultRoute.matcher("app-firelens-0123").matches()).isTrue();
    assertThat(FluentBitConfig.fileFolders(Path.of("perf/configs/example-sandbox.yaml"), dir))
        .containsExactly(dir.resolve("out/errors"), dir.resolve("out/everything_else"));
  }

  @Test
  void aContinuingRouteLeavesItsTagsToLaterRoutesAndACatchAllEndsTheList() throws Exception {
    Path config = dir.resolve("fanout.yaml");
    java.nio.file.Files.writeString(
        config,
        """
        outputs:
          a: {type: null}
          b: {type: null}
          c: {type: null}
        routes:
          - {match: {tag: "app-*"}, to: [a], continue: true}
          - {to: [b]}
          - {match: {tag: "late-*"}, to: [c]}
        """);
    String conf = FluentBitConfig.render(config, 25000, Map.of(), dir, null);
    assertThat(conf)
        .contains("# router output 'a'\n    Name              null\n    Match             app-*\n")
        .contains("# router output 'b'\n    Name              null\n    Match             *\n")
        .contains("# route '#3' comes after a route that takes every tag: not expressed")
        .doesNotContain("router output 'c'");
  }
}
