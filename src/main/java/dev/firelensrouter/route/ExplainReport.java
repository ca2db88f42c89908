package dev.firelensrouter.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Map;

/**
 * Where one record would go: for each route whether it matched and why, the record after each of
 * its transforms, and the rendered destination names. {@link #toText()} for people, {@link
 * #toJson()} for scripts.
 *
 * @param problems config errors (then no route is evaluated)
 * @param unrouted true when no route took the record (it would be counted as unrouted)
 */
public record ExplainReport(
    String tag,
    JsonNode record,
    List<RouteVerdict> routes,
    List<String> problems,
    boolean unrouted) {

  /**
   * @param verdict {@code matched}, {@code no_match} or {@code not_reached}
   * @param why the failed condition, or what took the record first
   * @param dropped the drop reason if a transform dropped the record
   */
  public record RouteVerdict(
      String route,
      String verdict,
      String why,
      List<Step> steps,
      String dropped,
      List<Target> targets) {}

  /** One transform and the record after it. */
  public record Step(String transform, JsonNode record, String note) {}

  /** An output the record would be sent to, with its rendered name-like options. */
  public record Target(String output, String type, Map<String, String> names) {}

  public String toJson() {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the explain report", e);
    }
  }

  public String toText() {
    StringBuilder out = new StringBuilder();
    if (!problems.isEmpty()) {
      out.append("the config has errors:\n");
      problems.forEach(p -> out.append("  ").append(p).append('\n'));
      return out.toString();
    }
    out.append("tag:    ").append(tag).append('\n');
    out.append("record: ").append(record).append("\n\n");
    for (RouteVerdict r : routes) {
      out.append("route ").append(r.route()).append(": ");
      switch (r.verdict()) {
        case "matched" ->
            out.append("MATCHED").append(r.why().isEmpty() ? "" : " (" + r.why() + ")");
        case "not_reached" -> out.append("not reached: ").append(r.why());
        default -> out.append("no match: ").append(r.why());
      }
      out.append('\n');
      for (Step s : r.steps()) {
        out.append("    ").append(s.transform());
        if (!s.note().isEmpty()) {
          out.append("  [").append(s.note()).append(']');
        }
        out.append("\n      -> ").append(s.record()).append('\n');
      }
      if (r.dropped() != null) {
        out.append("    dropped: ").append(r.dropped()).append('\n');
      }
      for (Target t : r.targets()) {
        out.append("    to ").append(t.output()).append(" (").append(t.type()).append(')');
        t.names().forEach((k, v) -> out.append("  ").append(k).append('=').append(v));
        out.append('\n');
      }
    }
    if (unrouted) {
      out.append(
          "\nno route takes this record: it would be counted as dropped{reason=\"unrouted\"}\n");
    }
    return out.toString();
  }
}
