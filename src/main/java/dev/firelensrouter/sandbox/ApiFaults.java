package dev.firelensrouter.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;

/**
 * Faults the CloudWatch Logs and Firehose emulators inject, changeable while they run: by a call
 * ({@link JsonApiEmulator#faults(ApiFaults)}), by {@code POST /_sandbox/faults} on the emulator's
 * own port, or from the {@code sandbox --faults FILE} file.
 *
 * @param throttle share of requests answered with the service's throttling error
 * @param serverErrors share answered {@code 500 ServiceUnavailableException}
 * @param partialFailures Firehose only: share of records failed inside an HTTP 200 answer
 * @param resets share of requests whose connection is dropped without an answer
 * @param latency added before every answer
 * @param maxRequestsPerSecond requests beyond this many in one second are throttled (0: no cap), as
 *     a service quota does
 */
public record ApiFaults(
    double throttle,
    double serverErrors,
    double partialFailures,
    double resets,
    Duration latency,
    int maxRequestsPerSecond) {
  public static final ApiFaults NONE = new ApiFaults(0, 0, 0, 0, Duration.ZERO, 0);

  public ApiFaults withThrottle(double ratio) {
    return new ApiFaults(
        ratio, serverErrors, partialFailures, resets, latency, maxRequestsPerSecond);
  }

  public ApiFaults withServerErrors(double ratio) {
    return new ApiFaults(throttle, ratio, partialFailures, resets, latency, maxRequestsPerSecond);
  }

  public ApiFaults withPartialFailures(double ratio) {
    return new ApiFaults(throttle, serverErrors, ratio, resets, latency, maxRequestsPerSecond);
  }

  public ApiFaults withResets(double ratio) {
    return new ApiFaults(
        throttle, serverErrors, partialFailures, ratio, latency, maxRequestsPerSecond);
  }

  public ApiFaults withLatency(Duration d) {
    return new ApiFaults(throttle, serverErrors, partialFailures, resets, d, maxRequestsPerSecond);
  }

  public ApiFaults withMaxRequestsPerSecond(int n) {
    return new ApiFaults(throttle, serverErrors, partialFailures, resets, latency, n);
  }

  /** The keys of {@link #fromJson}. */
  static final List<String> KEYS =
      List.of(
          "throttle",
          "server_errors",
          "partial_failures",
          "resets",
          "latency_ms",
          "max_requests_per_second");

  /**
   * From {@code {"throttle":0.5,"server_errors":0,"latency_ms":200,...}}; absent keys are 0.
   *
   * @throws IllegalArgumentException for an unknown key or a bad value, naming it
   */
  public static ApiFaults fromJson(JsonNode n) {
    FaultSettings s = FaultSettings.of(n, KEYS);
    return new ApiFaults(
        s.ratio("throttle"),
        s.ratio("server_errors"),
        s.ratio("partial_failures"),
        s.ratio("resets"),
        Duration.ofMillis(s.count("latency_ms")),
        s.count("max_requests_per_second"));
  }

  public ObjectNode toJson(ObjectMapper json) {
    return json.createObjectNode()
        .put("throttle", throttle)
        .put("server_errors", serverErrors)
        .put("partial_failures", partialFailures)
        .put("resets", resets)
        .put("latency_ms", latency.toMillis())
        .put("max_requests_per_second", maxRequestsPerSecond);
  }
}
