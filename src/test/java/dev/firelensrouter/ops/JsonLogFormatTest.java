package dev.firelensrouter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.testing.Await;
import dev.firelensrouter.testing.ChildConfig;
import dev.firelensrouter.testing.ChildRouter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.komamitsu.fluency.Fluency;

/**
 * {@code service.log_format: json}: every line the router writes, from start to exit, is one JSON
 * object a log shipper reads without a pattern, and an output's state change names the output in a
 * field of its own.
 */
class JsonLogFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void everyLineIsOneJsonObjectWithLevelLoggerMessageAndTheOutputItConcerns() throws Exception {
    ChildConfig config =
        ChildConfig.write(
            dir,
            "grace: 3s\nlog_format: json",
            "ack: received",
            """
            outputs:
              app_logs:
                type: cloudwatch_logs
                region: us-east-1
                log_group: /json-logs
                log_stream: "{{ tag }}"
            routes:
              - to: [app_logs]
            """);
    try (ChildRouter router =
        ChildRouter.start(dir, config.file(), config.adminPort(), ChildConfig.DEAD_CLOUDWATCH)) {
      try (Fluency fluency = config.fluency()) {
        fluency.emit("app", Map.of("log", "hello"));
        fluency.flush();
        assertThat(fluency.waitUntilAllBufferFlushed(20)).isTrue();
      }
      Await.until(Duration.ofSeconds(30), () -> router.log().contains("is failing"), router::log);
      router.terminate();
      assertThat(router.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);

      List<JsonNode> lines = new ArrayList<>();
      for (String line : router.log().split("\n")) {
        JsonNode node = JSON.readTree(line);
        assertThat(node.isObject()).as("one JSON object: %s", line).isTrue();
        assertThat(node.path("level").asText()).as(line).isIn("DEBUG", "INFO", "WARN", "ERROR");
        assertThat(node.path("logger").asText()).as(line).isNotEmpty();
        assertThat(node.path("message").asText()).as(line).isNotEmpty().doesNotContain("{}");
        assertThat(node.path("time").asText()).as(line).isNotEmpty();
        lines.add(node);
      }
      assertThat(lines)
          .as("the sandbox line, written before the config's own services start")
          .anySatisfy(n -> assertThat(n.get("message").asText()).startsWith("sandbox:"));
      assertThat(lines)
          .filteredOn(n -> n.get("message").asText().contains("is failing"))
          .singleElement()
          .satisfies(
              n -> {
                assertThat(n.get("level").asText()).isEqualTo("WARN");
                assertThat(n.get("logger").asText()).isEqualTo("DestinationHealth");
                assertThat(n.get("output").asText()).isEqualTo("app_logs");
                assertThat(n.get("state").asText()).isEqualTo("failing");
                // The refused connection or the SDK's acquire timeout, which ends the few
                // connection attempts to the dead port its pool never completes.
                assertThat(n.get("message").asText())
                    .containsPattern("Connection refused|Acquire operation took longer");
              });
      assertThat(lines)
          .filteredOn(n -> n.get("message").asText().startsWith("drained with 1 records left"))
          .singleElement()
          .satisfies(
              n -> {
                assertThat(n.get("level").asText()).isEqualTo("ERROR");
                assertThat(n.get("records_left").asText()).isEqualTo("1");
              });
    }
  }

  /** Each line of a router's output as JSON; fails on the first line that is not. */
  private static List<JsonNode> jsonLines(String output) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (!line.isBlank()) {
        JsonNode node = JSON.readTree(line);
        assertThat(node.isObject()).as("one JSON object: %s", line).isTrue();
        lines.add(node);
      }
    }
    return lines;
  }

  @Test
  void aConfigThatCannotBeReadIsReportedAsJsonWhenTheEnvironmentAsksForJson() throws Exception {
    ChildRouter.Exited run =
        ChildRouter.runToExit(
            dir, Map.of("FIRELENS_ROUTER_LOG_FORMAT", "json"), "run", "--config", "missing.yaml");

    assertThat(run.exit()).as(run.output()).isEqualTo(2);
    assertThat(jsonLines(run.output()))
        .anySatisfy(
            n -> {
              assertThat(n.get("level").asText()).isEqualTo("ERROR");
              assertThat(n.get("message").asText()).startsWith("missing.yaml:1:1: ");
            });
  }

  @Test
  void aForwardPortInUseIsOneErrorLineNamingTheAddressAndExits2() throws Exception {
    ChildConfig config =
        ChildConfig.write(
            dir,
            "log_format: json",
            "",
            """
            outputs:
              local:
                type: file
                path: ./out.jsonl
            routes:
              - to: [local]
            """);
    // Something else holds the config's Forward port.
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(
            config.forwardPort(), 1, java.net.InetAddress.getLoopbackAddress())) {
      ChildRouter.Exited run =
          ChildRouter.runToExit(dir, Map.of(), "run", "--config", config.file().toString());

      assertThat(run.exit()).as(run.output()).isEqualTo(2);
      assertThat(jsonLines(run.output()))
          .filteredOn(n -> n.get("level").asText().equals("ERROR"))
          .singleElement()
          .satisfies(
              n ->
                  assertThat(n.get("message").asText())
                      .contains(
                          "cannot listen for Forward clients on tcp 127.0.0.1:"
                              + taken.getLocalPort())
                      .contains("Address already in use"));
    }
  }
}
