package dev.firelensrouter.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;

/**
 * Faults the sandbox S3 injects, changeable while it runs: {@link S3Emulator#faults}, {@code POST
 * /_sandbox/faults} on its port, or {@code sandbox --faults FILE}.
 *
 * @param errorRatio share of requests answered {@code 503 SlowDown} (0..1)
 * @param serverErrorRatio share answered {@code 500 InternalError}
 * @param resetRatio share whose connection is dropped without an answer
 * @param latency added before every answer
 * @param failCompletes the next this-many CompleteMultipartUpload calls fail with {@code
 *     InvalidPart}, as when S3 lost a part
 */
public record S3Faults(
    double errorRatio,
    double serverErrorRatio,
    double resetRatio,
    Duration latency,
    int failCompletes) {
  public static final S3Faults NONE = new S3Faults(0, 0, 0, Duration.ZERO, 0);

  public S3Faults withSlowDown(double ratio) {
    return new S3Faults(ratio, serverErrorRatio, resetRatio, latency, failCompletes);
  }

  public S3Faults withServerErrors(double ratio) {
    return new S3Faults(errorRatio, ratio, resetRatio, latency, failCompletes);
  }

  public S3Faults withResets(double ratio) {
    return new S3Faults(errorRatio, serverErrorRatio, ratio, latency, failCompletes);
  }

  public S3Faults withLatency(Duration d) {
    return new S3Faults(errorRatio, serverErrorRatio, resetRatio, d, failCompletes);
  }

  /** The keys of {@link #fromJson}. */
  static final List<String> KEYS =
      List.of("slow_down", "server_errors", "resets", "latency_ms", "failed_completes");

  /**
   * From {@code
   * {"slow_down":0.3,"server_errors":0,"resets":0,"latency_ms":0,"failed_completes":0}}; absent
   * keys are 0.
   *
   * @throws IllegalArgumentException for an unknown key or a bad value, naming it
   */
  public static S3Faults fromJson(JsonNode n) {
    FaultSettings s = FaultSettings.of(n, KEYS);
    return new S3Faults(
        s.ratio("slow_down"),
        s.ratio("server_errors"),
        s.ratio("resets"),
        Duration.ofMillis(s.count("latency_ms")),
        s.count("failed_completes"));
  }

  public ObjectNode toJson(ObjectMapper json) {
    return json.createObjectNode()
        .put("slow_down", errorRatio)
        .put("server_errors", serverErrorRatio)
        .put("resets", resetRatio)
        .put("latency_ms", latency.toMillis())
        .put("failed_completes", failCompletes);
  }

  public S3Faults withFailedCompletes(int n) {
    return new S3Faults(errorRatio, serverErrorRatio, resetRatio, latency, n);
  }
}
