package dev.firelensrouter.sink.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.sandbox.ApiFaults;
import dev.firelensrouter.sink.OutputMetrics;
import dev.firelensrouter.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The brief's promise, through the real Forward input with {@code ack: delivered}: a CloudWatch
 * output whose every call fails takes many times its memory share (it spills to disk), so the
 * Firehose output beside it receives everything and every chunk is acked meanwhile; once CloudWatch
 * answers again the spilled records reach it, each exactly once.
 */
class DeadOutputSpillSandboxTest {
  private static final String CONFIG =
      """
      outputs:
        app_logs:
          type: cloudwatch_logs
          region: us-east-1
          log_group: /ecs/spill
          log_stream: "{{ tag }}"
          message: log
          flush_interval: 100ms
          max_disk: 64MiB
        lake:
          type: firehose
          region: us-east-1
          delivery_stream: lake
          message: log
          flush_interval: 100ms
      routes:
        - to: [app_logs, lake]
      """;

  /** About 1 KB per record in memory: 4,000 of them are eight times a 512 KiB share. */
  private static final int COUNT = 4_000;

  @TempDir Path dir;

  private static List<String> texts(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("spill " + i + " " + "x".repeat(400));
    }
    return out;
  }

  private static void assertExactlyOnce(List<String> lines, List<String> expected) {
    Map<String, Integer> seen = new HashMap<>();
    for (String l : lines) {
      String text = l.startsWith("{") ? l.replaceAll(".*\"message\":\"([^\"]*)\".*", "$1") : l;
      seen.merge(text, 1, Integer::sum);
    }
    assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(seen.values()).as("no duplicates").allMatch(n -> n == 1);
  }

  private static JsonNode routesEntry(AwsSandboxRig rig, String output) throws Exception {
    int port = rig.router.adminAddress().getPort();
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/routes")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (JsonNode o : new ObjectMapper().readTree(body).path("outputs")) {
      if (o.path("name").asText().equals(output)) {
        return o;
      }
    }
    throw new AssertionError("no output " + output + " in " + body);
  }

  @Test
  void aDeadOutputSpillsToDiskWhileTheOtherDeliversEverythingAndEveryChunkIsAcked()
      throws Exception {
    try (AwsSandboxRig rig = new AwsSandboxRig(dir, CONFIG, true, "", "memory_budget: 1MiB")) {
      rig.logs.faults(ApiFaults.NONE.withServerErrors(1.0));
      List<String> texts = texts(COUNT);
      // send() returns only once every chunk was acked (Fluency resends a chunk not acked in 5 s).
      rig.send("app", texts, Instant.now().getEpochSecond());
      Await.until(
          Duration.ofSeconds(30),
          () -> rig.ledger("lake").delivered() == COUNT,
          () -> "firehose " + rig.ledger("lake"));
      assertExactlyOnce(rig.firehoseLines("lake"), texts);
      OutputMetrics.Snapshot dead = rig.ledger("app_logs");
      assertThat(dead.delivered()).as("CloudWatch still fails every call").isZero();
      assertThat(dead.buffered() + dead.inFlight()).isEqualTo(COUNT);
      assertThat(dead.balanced()).isTrue();
      JsonNode spool = routesEntry(rig, "app_logs").path("spool");
      assertThat(spool.path("records").asLong())
          .as("most records wait on disk: %s", spool)
          .isGreaterThan(COUNT / 2);
      assertThat(rig.metrics()).contains("firelens_router_spool_bytes{output=\"app_logs\"}");

      rig.logs.faults(ApiFaults.NONE);
      Await.until(
          Duration.ofSeconds(60),
          () -> rig.ledger("app_logs").delivered() == COUNT,
          () -> "cloudwatch " + rig.ledger("app_logs"));
      assertExactlyOnce(rig.logLines("/ecs/spill", "app"), texts);
      assertThat(rig.ledger("app_logs").balanced()).isTrue();
      Await.until(
          Duration.ofSeconds(10),
          () -> {
            try {
              return routesEntry(rig, "app_logs").path("spool").path("bytes").asLong() == 0;
            } catch (Exception e) {
              return false;
            }
          },
          () -> "the spool keeps settled segments");
    }
  }
}
