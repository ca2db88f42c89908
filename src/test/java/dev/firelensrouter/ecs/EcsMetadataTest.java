package dev.firelensrouter.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EcsMetadataTest {
  private final HttpClient client = HttpClient.newHttpClient();
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  private String serve(String resource, int failuresFirst) throws IOException {
    byte[] body;
    try (InputStream in = getClass().getResourceAsStream("/ecs/" + resource)) {
      body = in.readAllBytes();
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v4/abc/task",
        exchange -> {
          int n = requests.incrementAndGet();
          if (n <= failuresFirst) {
            exchange.sendResponseHeaders(500, -1);
          } else {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v4/abc";
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void readsTheTaskOnEc2() throws IOException {
    String uri = serve("task-ec2.json", 0);
    EcsMetadata m =
        EcsMetadata.load(
            Map.of("ECS_CONTAINER_METADATA_URI_V4", uri), client, Duration.ofSeconds(10), 2);
    assertThat(m.value("ecs.cluster")).isEqualTo("default");
    assertThat(m.value("ecs.task_id")).isEqualTo("158d1c8083dd49d6b527399fd6414f5c");
    assertThat(m.value("ecs.task_arn"))
        .isEqualTo(
            "arn:aws:ecs:us-west-2:111122223333:task/default/158d1c8083dd49d6b527399fd6414f5c");
    assertThat(m.value("ecs.family")).isEqualTo("curltest");
    assertThat(m.value("ecs.revision")).isEqualTo("26");
    assertThat(m.value("ecs.az")).isEqualTo("us-west-2d");
  }

  @Test
  void readsTheClusterNameFromItsArnOnFargateAndRetriesFailures() throws IOException {
    String uri = serve("task-fargate.json", 1);
    EcsMetadata m =
        EcsMetadata.load(
            Map.of("ECS_CONTAINER_METADATA_URI_V4", uri), client, Duration.ofSeconds(10), 2);
    assertThat(requests.get()).isEqualTo(2);
    assertThat(m.value("ecs.cluster")).isEqualTo("default");
    assertThat(m.value("ecs.task_id")).isEqualTo("e9028f8d5d8e4f258373e7b93ce9a3c3");
    assertThat(m.value("ecs.launch_type")).isEqualTo("FARGATE");
  }

  @Test
  void outsideEcsEverythingIsUnknown() {
    EcsMetadata m = EcsMetadata.load(Map.of(), client, Duration.ofSeconds(1), 2);
    assertThat(m.isEmpty()).isTrue();
    assertThat(m.value("ecs.cluster")).isNull();
  }

  @Test
  void fallsBackToTheEcsVariablesWhenTheEndpointNeverAnswers() throws IOException {
    String uri = serve("task-ec2.json", 100);
    EcsMetadata m =
        EcsMetadata.load(
            Map.of(
                "ECS_CONTAINER_METADATA_URI_V4", uri,
                "ECS_CLUSTER", "prod",
                "ECS_TASK_ARN", "arn:aws:ecs:eu-west-1:1:task/prod/abc"),
            client,
            Duration.ofSeconds(1),
            1);
    assertThat(requests.get()).isEqualTo(2);
    assertThat(m.value("ecs.cluster")).isEqualTo("prod");
    assertThat(m.value("ecs.task_id")).isEqualTo("abc");
    assertThat(m.value("ecs.family")).isNull();
  }
}
