package dev.firelensrouter.perf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firelensrouter.config.Units;
import java.time.Duration;

/**
 * One fault of a scenario ({@code faults:} list): from {@code at} into the load, for {@code
 * length}, the emulator of {@code service} ({@code logs}, {@code firehose}) throttles and fails
 * this share of its calls, and (Firehose) fails this share of records inside successful calls.
 */
record Fault(
    String service,
    Duration at,
    Duration length,
    double throttle,
    double serverErrors,
    double partialFailures) {
  static Fault read(JsonNode n) {
    return new Fault(
        n.path("service").asText(),
        Units.parseDuration(n.path("at").asText("0s")).orElseThrow(),
        Units.parseDuration(n.path("for").asText("3650d")).orElseThrow(),
        n.path("throttle").asDouble(0),
        n.path("server_errors").asDouble(0),
        n.path("partial_failures").asDouble(0));
  }
}
