package dev.firelensrouter.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.event.TemplateScope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ECS task this process runs in, read once at start from the task metadata endpoint v4 ({@code
 * $ECS_CONTAINER_METADATA_URI_V4/task}) with a short timeout and a few retries. Outside ECS (or
 * when the endpoint does not answer) the values come from the {@code ECS_*} variables that
 * aws-for-fluent-bit's init exports, if any, else they are empty, and one warning says so.
 *
 * <p>Template names: {@code ecs.cluster} (the cluster's name, also when ECS gives its ARN), {@code
 * ecs.task_arn}, {@code ecs.task_id} (the ARN's last part), {@code ecs.family}, {@code
 * ecs.revision}, {@code ecs.az}; {@link #values()} also holds {@code ecs.launch_type}.
 */
public final class EcsMetadata implements TemplateScope {
  static final String ENDPOINT_VARIABLE = "ECS_CONTAINER_METADATA_URI_V4";
  private static final Logger LOG = LoggerFactory.getLogger(EcsMetadata.class);

  private final Map<String, String> values;

  EcsMetadata(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** Nothing known. */
  public static EcsMetadata none() {
    return new EcsMetadata(Map.of());
  }

  /**
   * Reads the task metadata.
   *
   * @param env the process environment
   * @param retries attempts after the first one
   */
  public static EcsMetadata load(
      Map<String, String> env, HttpClient client, Duration timeout, int retries) {
    String base = env.get(ENDPOINT_VARIABLE);
    if (base == null || base.isBlank()) {
      EcsMetadata fromEnv = fromEnvironment(env);
      LOG.warn(
          "{} is not set: not running in ECS; {{ ecs.* }} templates render {}",
          ENDPOINT_VARIABLE,
          fromEnv.values.isEmpty() ? "empty" : "from the ECS_* variables");
      return fromEnv;
    }
    URI uri = URI.create(base.endsWith("/") ? base + "task" : base + "/task");
    String lastError = "";
    for (int attempt = 0; attempt <= retries; attempt++) {
      try {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return fromTaskJson(response.body());
        }
        lastError = "HTTP " + response.statusCode();
      } catch (IOException e) {
        lastError = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        lastError = "interrupted";
        break;
      }
      pause(attempt);
    }
    EcsMetadata fromEnv = fromEnvironment(env);
    LOG.warn(
        "ECS task metadata at {} could not be read ({}); {{ ecs.* }} templates render {}",
        uri,
        lastError,
        fromEnv.values.isEmpty() ? "empty" : "from the ECS_* variables");
    return fromEnv;
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(Math.min(1000, 100L << attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Parses a TMDE v4 {@code /task} response. */
  static EcsMetadata fromTaskJson(String json) throws IOException {
    JsonNode task = new ObjectMapper().readTree(json);
    Map<String, String> v = new LinkedHashMap<>();
    put(v, "ecs.cluster", lastPart(task.path("Cluster").asText("")));
    put(v, "ecs.task_arn", task.path("TaskARN").asText(""));
    put(v, "ecs.task_id", lastPart(task.path("TaskARN").asText("")));
    put(v, "ecs.family", task.path("Family").asText(""));
    put(v, "ecs.revision", task.path("Revision").asText(""));
    put(v, "ecs.az", task.path("AvailabilityZone").asText(""));
    put(v, "ecs.launch_type", task.path("LaunchType").asText(""));
    return new EcsMetadata(v);
  }

  static EcsMetadata fromEnvironment(Map<String, String> env) {
    Map<String, String> v = new LinkedHashMap<>();
    put(v, "ecs.cluster", lastPart(env.getOrDefault("ECS_CLUSTER", "")));
    String arn = env.getOrDefault("ECS_TASK_ARN", "");
    put(v, "ecs.task_arn", arn);
    put(v, "ecs.task_id", env.getOrDefault("ECS_TASK_ID", lastPart(arn)));
    put(v, "ecs.family", env.getOrDefault("ECS_FAMILY", ""));
    put(v, "ecs.revision", env.getOrDefault("ECS_REVISION", ""));
    put(v, "ecs.az", env.getOrDefault("AWS_AVAILABILITY_ZONE", ""));
    put(v, "ecs.launch_type", env.getOrDefault("ECS_LAUNCH_TYPE", ""));
    return new EcsMetadata(v);
  }

  private static void put(Map<String, String> v, String name, String value) {
    if (value != null && !value.isEmpty()) {
      v.put(name, value);
    }
  }

  private static String lastPart(String arnOrName) {
    int slash = arnOrName.lastIndexOf('/');
    return slash < 0 ? arnOrName : arnOrName.substring(slash + 1);
  }

  @Override
  public String value(String name) {
    return values.get(name);
  }

  /** True when nothing is known (outside ECS). */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** All known values, for logs and {@code /routes}. */
  public Map<String, String> values() {
    return values;
  }
}
