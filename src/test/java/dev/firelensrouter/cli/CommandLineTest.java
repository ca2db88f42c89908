package dev.firelensrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user types them: exit codes and what they print. */
class CommandLineTest {
  @TempDir Path dir;

  @Test
  void checkPrintsEveryProblemWithFileLineColumnAndExits2() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(
        config,
        """
        service:
          grace: soon
        outputs:
          local:
            type: fille
        routes:
          - name: all
            match:
              tag: "app-[*"
            to: [local]
        """);
    Run r = run("check", "--config", config.toString());
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.out)
        .contains(config + ":2:10: 'grace' must be a duration")
        .contains(config + ":5:11: output 'local' has unknown type 'fille'")
        .contains(config + ":9:");
  }

  @Test
  void checkAcceptsTheShippedExamplesAndExits0() throws Exception {
    Path config = dir.resolve("ok.yaml");
    Files.writeString(
        config,
        """
        outputs:
          local:
            type: file
            path: "./out/{{ tag }}.jsonl"
          bench:
            type: null
        routes:
          - name: bench
            match: { tag: "bench.*" }
            to: [bench]
          - to: [local]
        """);
    Run r = run("check", "--config", config.toString());
    assertThat(r.exit).as(r.out + r.err).isZero();
    assertThat(r.err).contains("valid");
  }

  @Test
  void everyConfigShippedInTheConfigFolderPassesCheck() throws Exception {
    try (java.util.stream.Stream<Path> files = Files.list(Path.of("config"))) {
      List<Path> configs = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(configs)
          .extracting(p -> p.getFileName().toString())
          .contains("cloudwatch.yaml", "firehose.yaml", "s3.yaml", "example.yaml");
      for (Path config : configs) {
        Run r = run("check", "--config", config.toString());
        assertThat(r.exit).as(config + ": " + r.out + r.err).isZero();
      }
    }
  }

  @Test
  void explainShowsWhichRouteTakesARecord() throws Exception {
    Path config = dir.resolve("explain.yaml");
    Files.writeString(
        config,
        """
        outputs:
          errors:
            type: file
            path: "./out/errors-{{ tag[0] }}.jsonl"
          rest:
            type: file
            path: "./out/rest.jsonl"
        routes:
          - name: errors
            match:
              any:
                - { field: log, matches: "ERROR" }
            to: [errors]
          - name: rest
            to: [rest]
        """);
    Run r =
        run(
            "explain",
            "--config",
            config.toString(),
            "--tag",
            "web.app",
            "--record",
            "{\"log\":\"ERROR boom\"}");
    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.out).contains("errors").contains("./out/errors-web.jsonl");

    Run json =
        run(
            "explain",
            "--config",
            config.toString(),
            "--tag",
            "web.app",
            "--record",
            "{\"log\":\"fine\"}",
            "--json");
    assertThat(json.exit).isZero();
    assertThat(json.out.trim()).startsWith("{").contains("\"rest\"");
  }

  @Test
  void theRoutingExamplesTagRegexTakesTagsThatStartWithIt() {
    // tag_regex: "^debug-" is found in the tag, as docs/routing.md says; not a whole-tag match.
    Run r =
        run(
            "explain",
            "--config",
            "config/routing-examples.yaml",
            "--tag",
            "debug-foo",
            "--record",
            "{\"level\":\"info\",\"latency_ms\":1}");
    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.out).contains("route debug-off: MATCHED");
  }

  @Test
  void aSandboxFaultsFileWithAnUnknownKeyIsRefusedInOneLineAndExits2() throws Exception {
    Path faults = Files.writeString(dir.resolve("faults.yaml"), "logs:\n  throtle: 0.5\n");

    Run r = run("sandbox", "--dir", dir.resolve("sb").toString(), "--faults", faults.toString());

    assertThat(r.exit).as(r.out + r.err).isEqualTo(2);
    assertThat(r.err).contains("faults.yaml").contains("throtle").doesNotContain("\tat ");
  }

  @Test
  void versionAndHelpExit0() {
    Run v = run("--version");
    assertThat(v.exit).isZero();
    assertThat(v.out).startsWith("firelens-router ");
    Run h = run("--help");
    assertThat(h.exit).isZero();
    assertThat(h.out).contains("run").contains("check").contains("explain");
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = Main.commandLine().execute(args);
      return new Run(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
