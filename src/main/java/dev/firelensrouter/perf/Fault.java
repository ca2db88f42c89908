package dev.firelensrouter.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firelensrouter.config.Units;
import dev.firelensrouter.sandbox.ApiFaults;
import dev.firelensrouter.sandbox.S3Faults;
import java.time.Duration;

/**
 * One fault of a scenario ({@code faults:} list): from {@code at} into the load, for {@code
 * length}, the emulator of {@code service} misbehaves as {@code settings} say, with the keys of the
 * sandbox's faults ({@code logs} and {@code firehose}: throttle, server_errors, partial_failures,
 * resets, latency_ms, max_requests_per_second; {@code s3}: slow_down, server_errors, resets,
 * latency_ms, failed_completes). See docs/sandbox.md.
 */
record Fault(String service, Duration at, Duration length, JsonNode settings) {
  static Fault read(JsonNode n) {
    String service = n.path("service").asText();
    if (!service.equals("logs") && !service.equals("firehose") && !service.equals("s3")) {
      throw new IllegalArgumentException(
          "a fault's service is logs, firehose or s3, not '" + service + "'");
    }
    ObjectNode settings = ((ObjectNode) n).deepCopy();
    settings.remove(java.util.List.of("service", "at", "for"));
    Fault f =
        new Fault(
            service,
            Units.parseDuration(n.path("at").asText("0s")).orElseThrow(),
            Units.parseDuration(n.path("for").asText("3650d")).orElseThrow(),
            settings);
    // Refuse a bad value now, not halfway through the run.
    if (service.equals("s3")) {
      f.s3();
    } else {
      f.api();
    }
    return f;
  }

  ApiFaults api() {
    return ApiFaults.fromJson(settings);
  }

  S3Faults s3() {
    return S3Faults.fromJson(settings);
  }

  @Override
  public String toString() {
    return service + " " + settings + " at " + at + (length.toDays() > 365 ? "" : " for " + length);
  }
}
