package dev.firelensrouter.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The faults file of {@code sandbox --faults FILE} (YAML or JSON), one section per emulator, with
 * the same keys as {@code POST /_sandbox/faults}:
 *
 * <pre>
 * logs:     { throttle: 0.5, server_errors: 0.05, resets: 0.02, latency_ms: 200, max_requests_per_second: 50 }
 * firehose: { partial_failures: 0.05 }
 * s3:       { slow_down: 0.3, server_errors: 0.0, resets: 0.05, latency_ms: 100, failed_completes: 1 }
 * </pre>
 *
 * An unknown section or key, or a bad value, is refused with the file and section named.
 */
public record SandboxFaults(ApiFaults logs, ApiFaults firehose, S3Faults s3) {
  public static final SandboxFaults NONE =
      new SandboxFaults(ApiFaults.NONE, ApiFaults.NONE, S3Faults.NONE);

  public static SandboxFaults read(Path file) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    if (root == null || !root.isObject()) {
      throw new IOException(file + ": expected sections logs:, firehose: and/or s3:");
    }
    root.fieldNames()
        .forEachRemaining(
            name -> {
              if (!name.equals("logs") && !name.equals("firehose") && !name.equals("s3")) {
                throw new IllegalArgumentException(
                    file + ": unknown section '" + name + "' (logs, firehose, s3)");
              }
            });
    return new SandboxFaults(
        section(file, root, "logs", ApiFaults::fromJson),
        section(file, root, "firehose", ApiFaults::fromJson),
        section(file, root, "s3", S3Faults::fromJson));
  }

  /** One section, or an error naming the file and the section. */
  private static <F> F section(Path file, JsonNode root, String name, Function<JsonNode, F> parse) {
    try {
      return parse.apply(root.path(name));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + name + ": " + e.getMessage(), e);
    }
  }
}
