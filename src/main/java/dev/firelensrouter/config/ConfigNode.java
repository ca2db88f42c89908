package dev.firelensrouter.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value that remembers where it was written, so every later check can point at the line.
 * Scalars keep their text (after {@code ${ENV}} interpolation); typed reading is in {@link
 * MapNode}.
 */
public sealed interface ConfigNode permits ConfigNode.Scalar, ConfigNode.Sequence, MapNode {
  Location location();

  /** What a user would call this kind of value, for messages. */
  String kindName();

  /**
   * A string, number, boolean or null. {@code text} is null for YAML null; {@code raw} is what was
   * written ({@code null}, {@code ~} or nothing for a null).
   */
  record Scalar(String text, String raw, Location location) implements ConfigNode {
    public boolean isNull() {
      return text == null;
    }

    @Override
    public String kindName() {
      return text == null ? "null" : "a scalar";
    }
  }

  /** A YAML list. */
  record Sequence(List<ConfigNode> items, Location location) implements ConfigNode {
    public Sequence {
      items = List.copyOf(items);
    }

    @Override
    public String kindName() {
      return "a list";
    }
  }

  /** A map key with its own location. */
  record Key(String name, Location location) {}

  static MapNode map(Map<Key, ConfigNode> entries, Location location) {
    return new MapNode(Collections.unmodifiableMap(new LinkedHashMap<>(entries)), location);
  }
}
