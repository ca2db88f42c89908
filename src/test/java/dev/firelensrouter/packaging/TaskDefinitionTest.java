package dev.firelensrouter.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.firelensrouter.config.Units;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** taskdef-example.json is what users copy: it must be a task definition ECS would run as meant. */
class TaskDefinitionTest {
  private final JsonNode task = read();

  private static JsonNode read() {
    try {
      return new ObjectMapper().readTree(Path.of("taskdef-example.json").toFile());
    } catch (java.io.IOException e) {
      throw new AssertionError("taskdef-example.json does not parse", e);
    }
  }

  @Test
  void isACompleteFargateRegisterTaskDefinitionInput() {
    assertThat(task.path("family").asText()).isNotEmpty();
    assertThat(task.path("requiresCompatibilities").toString()).contains("FARGATE");
    assertThat(task.path("networkMode").asText()).isEqualTo("awsvpc");
    assertThat(task.path("cpu").asText()).isNotEmpty();
    assertThat(task.path("taskRoleArn").asText()).startsWith("arn:aws:iam::");
    int sum = 0;
    for (JsonNode c : task.get("containerDefinitions")) {
      assertThat(c.path("name").asText()).isNotEmpty();
      assertThat(c.path("image").asText()).isNotEmpty();
      sum += c.path("memory").asInt();
    }
    assertThat(sum)
        .as("container memory fits the task")
        .isLessThanOrEqualTo(task.path("memory").asInt());
  }

  @Test
  void everyDependencyExistsAndTheAppStartsAfterBothRoutersAreHealthy() {
    Map<String, JsonNode> byName = containers();
    for (JsonNode c : byName.values()) {
      for (JsonNode d : c.path("dependsOn")) {
        assertThat(byName)
            .as(c.get("name") + " depends on")
            .containsKey(d.get("containerName").asText());
      }
    }
    Set<String> appWaitsFor = new HashSet<>();
    for (JsonNode d : byName.get("app").path("dependsOn")) {
      assertThat(d.get("condition").asText()).isEqualTo("HEALTHY");
      appWaitsFor.add(d.get("containerName").asText());
    }
    assertThat(appWaitsFor).containsExactlyInAnyOrder("log_router", "firelens-router");
    assertThat(byName.get("firelens-router").path("healthCheck").isMissingNode()).isFalse();
    assertThat(byName.get("log_router").path("firelensConfiguration").path("type").asText())
        .isEqualTo("fluentbit");
  }

  @Test
  void portsDoNotCollideAndNothingTakesFireLensPort24224() {
    Set<Integer> ports = new HashSet<>();
    for (JsonNode c : containers().values()) {
      for (JsonNode p : c.path("portMappings")) {
        int port = p.get("containerPort").asInt();
        assertThat(port)
            .as("FireLens's Fluent Bit listens on 24224 in the shared namespace")
            .isNotEqualTo(24224);
        assertThat(ports.add(port)).as("port %d used twice", port).isTrue();
      }
    }
  }

  @Test
  void theAppForwardsToThePortTheRouterListensOn() throws Exception {
    JsonNode router = containers().get("firelens-router");
    String forwardPort = null;
    for (JsonNode e : router.path("environment")) {
      if (e.get("name").asText().equals("FORWARD_PORT")) {
        forwardPort = e.get("value").asText();
      }
    }
    assertThat(forwardPort).isNotNull();
    assertThat(containers().get("app").at("/logConfiguration/options/Port").asText())
        .isEqualTo(forwardPort);
    String tcp =
        new ObjectMapper(new YAMLFactory())
            .readTree(Path.of("config/image-default.yaml").toFile())
            .at("/inputs/forward/tcp")
            .asText();
    assertThat(tcp).endsWith(":${FORWARD_PORT:-" + forwardPort + "}");
  }

  @Test
  void theRouterStopsLastAndItsStopTimeoutLeavesRoomForTheGracePeriod() throws Exception {
    Map<String, JsonNode> byName = containers();
    Duration grace =
        Units.parseDuration(
                new ObjectMapper(new YAMLFactory())
                    .readTree(Path.of("config/image-default.yaml").toFile())
                    .at("/service/grace")
                    .asText())
            .orElseThrow();
    int routerStop = byName.get("firelens-router").path("stopTimeout").asInt();
    assertThat(Duration.ofSeconds(routerStop)).isGreaterThan(grace);
    // ECS stops containers in reverse dependency order: app, then log_router, then the router.
    assertThat(byName.get("log_router").path("dependsOn").toString()).contains("firelens-router");
  }

  @Test
  void theRouterTakesItsConfigFromASecretAndChecksItsHealthWithoutAJvm() {
    JsonNode router = containers().get("firelens-router");
    String command = router.path("command").toString();
    assertThat(command).contains("\"--config\",\"env:");
    String variable = command.replaceAll(".*\"env:([A-Z_]+)\".*", "$1");
    assertThat(router.path("secrets").findValuesAsText("name"))
        .as("the variable --config env: reads is filled from SSM or Secrets Manager")
        .contains(variable);
    assertThat(router.path("secrets").findValuesAsText("valueFrom"))
        .allSatisfy(v -> assertThat(v).startsWith("arn:aws:"));
    String health = router.at("/healthCheck/command").toString();
    assertThat(health).contains("/opt/firelens-router/healthcheck.sh").doesNotContain("java");
    assertThat(router.path("environment").findValuesAsText("name"))
        .as("an override here would drop the image's class-data-sharing flags")
        .doesNotContain("JAVA_TOOL_OPTIONS");
  }

  @Test
  void theRouterPublishesNothingToTheVpc() {
    // FireLens and any sidecar reach it over the task's shared localhost; a published admin port
    // would offer POST /reload, and a published Forward port unauthenticated log injection.
    assertThat(containers().get("firelens-router").path("portMappings")).isEmpty();
  }

  private Map<String, JsonNode> containers() {
    Map<String, JsonNode> m = new HashMap<>();
    task.get("containerDefinitions").forEach(c -> m.put(c.get("name").asText(), c));
    return m;
  }
}
