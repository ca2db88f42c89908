package dev.firelensrouter.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;

/**
 * One emulator's fault settings as JSON or YAML gives them ({@code POST /_sandbox/faults}, a
 * section of {@code sandbox --faults FILE}, a perf scenario's fault), checked before any is used:
 * an unknown key (a typo such as {@code throtle}) or a value of the wrong type is refused with the
 * key named, so it cannot silently clear the other faults. Absent keys are 0.
 */
final class FaultSettings {
  private final JsonNode node;

  private FaultSettings(JsonNode node) {
    this.node = node;
  }

  /** The settings in {@code n} (missing or null: none), refusing keys not in {@code known}. */
  static FaultSettings of(JsonNode n, List<String> known) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return new FaultSettings(MissingNode.getInstance());
    }
    if (!n.isObject()) {
      throw new IllegalArgumentException(
          "faults are an object of " + String.join(", ", known) + ", not " + n);
    }
    n.fieldNames()
        .forEachRemaining(
            key -> {
              if (!known.contains(key)) {
                throw new IllegalArgumentException(
                    "unknown fault '" + key + "' (known: " + String.join(", ", known) + ")");
              }
            });
    return new FaultSettings(n);
  }

  /** A share of requests, 0 to 1. */
  double ratio(String key) {
    JsonNode v = node.path(key);
    if (v.isMissingNode()) {
      return 0;
    }
    double d = v.asDouble();
    if (!v.isNumber() || !(d >= 0 && d <= 1)) {
      throw new IllegalArgumentException("'" + key + "' must be between 0 and 1, not " + v);
    }
    return d;
  }

  /** A whole number, 0 or more. */
  int count(String key) {
    JsonNode v = node.path(key);
    if (v.isMissingNode()) {
      return 0;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asLong() < 0) {
      throw new IllegalArgumentException("'" + key + "' must be a whole number >= 0, not " + v);
    }
    return v.asInt();
  }
}
