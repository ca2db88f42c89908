package dev.firelensrouter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.testing.RunningRouter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.komamitsu.fluency.Fluency;
import org.komamitsu.fluency.fluentd.FluencyBuilderForFluentd;

class AdminServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;
  private RunningRouter router;

  @BeforeEach
  void start() throws Exception {
    router = RunningRouter.start(dir, RunningRouter.fileOutputConfig(""));
  }

  @AfterEach
  void stop() {
    router.close();
  }

  @Test
  void healthAndReadyAnswerWhileRunning() throws Exception {
    assertThat(get("/health").statusCode()).isEqualTo(200);
    assertThat(get("/ready").statusCode()).isEqualTo(200);
    assertThat(get("/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void metricsCountWhatWasReceivedAndDeliveredAndTheInvariantHolds() throws Exception {
    send("metrics.test", 100);
    router.awaitLines("metrics.test", 100, Duration.ofSeconds(20));
    String metrics = get("/metrics").body();
    assertThat(metrics)
        .contains("firelens_router_records_received_total 100.0")
        .contains("firelens_router_records_delivered_total{output=\"local\"} 100.0")
        .contains("firelens_router_forward_frames_total")
        .contains("firelens_router_process_resident_memory_bytes")
        .contains("jvm_memory_used_bytes");
    JsonNode routes = JSON.readTree(get("/routes").body());
    JsonNode local = routes.get("outputs").get(0);
    assertThat(local.get("name").asText()).isEqualTo("local");
    assertThat(local.get("state").asText()).isEqualTo("healthy");
    long received = local.get("received").asLong();
    assertThat(received).isEqualTo(100);
    assertThat(
            local.get("delivered").asLong()
                + local.get("buffered").asLong()
                + local.get("in_flight").asLong())
        .isEqualTo(received);
    assertThat(routes.get("routes").get(0).get("matched").asLong()).isEqualTo(100);
  }

  @Test
  void aBadConfigIsRefusedOnReloadAndTheRunningOneKeepsGoing() throws Exception {
    Path config = dir.resolve("config.yaml");
    String good = Files.readString(config);
    Files.writeString(config, good.replace("to: [local]", "to: [missing]"));
    HttpResponse<String> refused = post("/reload");
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(refused.body()).get("applied").asBoolean()).isFalse();
    assertThat(refused.body())
        .contains("config.yaml:")
        .contains("output 'missing', which does not exist");

    send("still.running", 10);
    router.awaitLines("still.running", 10, Duration.ofSeconds(20));

    Files.writeString(config, good.replace("name: everything", "name: renamed"));
    HttpResponse<String> applied = post("/reload");
    assertThat(applied.statusCode()).isEqualTo(200);
    send("after.reload", 10);
    router.awaitLines("after.reload", 10, Duration.ofSeconds(20));
    assertThat(get("/routes").body()).contains("\"renamed\"");
  }

  private void send(String tag, int count) throws Exception {
    FluencyBuilderForFluentd builder = new FluencyBuilderForFluentd();
    builder.setAckResponseMode(true);
    try (Fluency fluency = builder.build("127.0.0.1", router.forwardPort())) {
      for (int i = 0; i < count; i++) {
        fluency.emit(tag, Map.of("seq", i));
      }
      fluency.flush();
      assertThat(fluency.waitUntilAllBufferFlushed(20)).isTrue();
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + router.adminPort() + path);
  }
}
