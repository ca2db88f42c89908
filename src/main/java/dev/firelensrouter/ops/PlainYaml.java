package dev.firelensrouter.ops;

import dev.firelensrouter.config.ConfigNode;
import dev.firelensrouter.config.MapNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A located config value as plain maps, lists and strings: equal when the user wrote the same. */
final class PlainYaml {
  private PlainYaml() {}

  static Object of(ConfigNode node) {
    if (node instanceof MapNode m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.entries().forEach((k, v) -> out.put(k.name(), of(v)));
      return out;
    }
    if (node instanceof ConfigNode.Sequence s) {
      List<Object> out = new ArrayList<>();
      s.items().forEach(i -> out.add(of(i)));
      return out;
    }
    return ((ConfigNode.Scalar) node).text() == null ? "\0null" : ((ConfigNode.Scalar) node).text();
  }
}
