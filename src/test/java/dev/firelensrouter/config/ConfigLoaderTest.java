package dev.firelensrouter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  private static final String VALID =
      """
      service:
        admin: 127.0.0.1:2020
        memory_budget: 64MiB
        grace: 25s
        data_dir: /var/lib/firelens-router
      inputs:
        forward:
          tcp: 0.0.0.0:24224
          shared_key: ${KEY:-}
          max_frame: 8MiB
          ack: received
      outputs:
        local:
          type: file
          path: out.jsonl
      routes:
        - name: all
          to: [local]
      """;

  @Test
  void readsEverySectionOfAValidFile() {
    Problems problems = new Problems();
    RouterConfig c = load(VALID, Map.of(), problems).orElseThrow();
    assertThat(problems.all()).isEmpty();
    assertThat(c.service().memoryBudget()).isEqualTo(64L << 20);
    assertThat(c.service().grace()).isEqualTo(Duration.ofSeconds(25));
    assertThat(c.forward().tcp()).contains(new HostPort("0.0.0.0", 24224));
    assertThat(c.forward().sharedKey()).isEmpty();
    assertThat(c.forward().maxFrame()).isEqualTo(8L << 20);
    assertThat(c.forward().ack()).isEqualTo(ForwardInputConfig.AckMode.RECEIVED);
    assertThat(c.outputs())
        .extracting(OutputSpec::name, OutputSpec::type)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("local", "file"));
    assertThat(c.routes()).extracting(RouteSpec::name).containsExactly("all");
  }

  @Test
  void environmentVariablesAreReadAtLoadTime() {
    Problems problems = new Problems();
    RouterConfig c = load(VALID, Map.of("KEY", "s3cret"), problems).orElseThrow();
    assertThat(c.forward().sharedKey()).isEqualTo("s3cret");
  }

  @Test
  void everyProblemIsReportedWithFileLineAndColumn() {
    String text =
        """
        service:
          grace: soon
          admni: 127.0.0.1:1
        inputs:
          forward:
            ack: eventually
        outputs:
          local:
            type: file
            path: out.jsonl
        routes:
          - name: all
            to: [locl]
        """;
    Problems problems = new Problems();
    load(text, Map.of(), problems);
    assertThat(problems.errors())
        .extracting(Problem::toString)
        .containsExactly(
            "cfg.yaml:2:10: 'grace' must be a duration such as 500ms, 25s or 2m, not 'soon'",
            "cfg.yaml:3:3: unknown key 'admni' in service; did you mean 'admin'?",
            "cfg.yaml:6:10: 'ack' must be one of delivered, received, not 'eventually'",
            "cfg.yaml:13:5: route 'all' sends to output 'locl', which does not exist; did you mean 'local'?");
  }

  @Test
  void unsetVariableWithoutDefaultIsAnError() {
    Problems problems = new Problems();
    load(VALID.replace("${KEY:-}", "${NOT_SET}"), Map.of(), problems);
    assertThat(problems.errors())
        .extracting(Problem::message)
        .anyMatch(m -> m.contains("NOT_SET is not set"));
  }

  @Test
  void warnsAboutUnusedOutputsAndUnreachableRoutes() {
    String text =
        VALID
            + """
              - name: never
                to: [local]
            """
            + "";
    text = text.replace("outputs:\n", "outputs:\n  spare:\n    type: null\n");
    Problems problems = new Problems();
    load(text, Map.of(), problems);
    assertThat(problems.hasErrors()).isFalse();
    assertThat(problems.all())
        .extracting(Problem::message)
        .contains(
            "output 'spare' is not used by any route",
            "route 'never' is never reached: route 'all' before it catches every record");
  }

  @Test
  void notYamlIsRefusedWithItsPosition() {
    Problems problems = new Problems();
    assertThat(load("service: [unclosed\n", Map.of(), problems)).isEmpty();
    assertThat(problems.errors())
        .singleElement()
        .satisfies(
            p -> assertThat(p.toString()).startsWith("cfg.yaml:").contains("not valid YAML"));
  }

  @Test
  void aConfigCanComeFromAnEnvironmentVariableAndItsProblemsNameIt() {
    ConfigLoader loader =
        new ConfigLoader(
            Map.of("FIRELENS_ROUTER_CONFIG", VALID, "BROKEN", "service:\n  grace: soon\n")::get);
    Problems ok = new Problems();
    assertThat(loader.load(java.nio.file.Path.of("env:FIRELENS_ROUTER_CONFIG"), ok)).isPresent();
    assertThat(ok.errors()).isEmpty();

    Problems bad = new Problems();
    loader.load(java.nio.file.Path.of("env:BROKEN"), bad);
    assertThat(bad.errors())
        .anySatisfy(p -> assertThat(p.toString()).startsWith("env:BROKEN:2:").contains("grace"));

    Problems unset = new Problems();
    assertThat(loader.load(java.nio.file.Path.of("env:MISSING"), unset)).isEmpty();
    assertThat(unset.errors())
        .singleElement()
        .satisfies(p -> assertThat(p.toString()).startsWith("env:MISSING:1:1").contains("MISSING"));
  }

  @Test
  void sizesAndDurationsReadTheWaysUsersWriteThem() {
    assertThat(Units.parseSize("16MiB")).contains(16L << 20);
    assertThat(Units.parseSize("50M")).contains(50L << 20);
    assertThat(Units.parseSize("512KB")).contains(512_000L);
    assertThat(Units.parseSize("4096")).contains(4096L);
    assertThat(Units.parseSize("lots")).isEmpty();
    assertThat(Units.parseDuration("500ms")).contains(Duration.ofMillis(500));
    assertThat(Units.parseDuration("2m")).contains(Duration.ofMinutes(2));
    assertThat(Units.parseDuration("30")).contains(Duration.ofSeconds(30));
  }

  private static java.util.Optional<RouterConfig> load(
      String text, Map<String, String> env, Problems problems) {
    return new ConfigLoader(env::get).parse("cfg.yaml", text, problems);
  }
}
