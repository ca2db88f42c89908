package dev.firelensrouter.route;

import java.util.List;
import java.util.Map;

/**
 * Every key a route's {@code match} and {@code transform} accept, in one place for the parsers, the
 * JSON Schema test and the docs.
 */
public final class RouteSyntax {
  public static final List<String> MATCH_KEYS = List.of("tag", "tag_regex", "all", "any", "none");
  public static final List<String> OPERATORS =
      List.of("equals", "not_equals", "matches", "in", "exists", "gt", "lt");
  public static final List<String> CONDITION_KEYS =
      List.of("field", "equals", "not_equals", "matches", "in", "exists", "gt", "lt");
  public static final List<String> TRANSFORM_STEPS =
      List.of(
          "parse_json",
          "set",
          "remove",
          "rename",
          "redact",
          "sample",
          "rate_limit",
          "reassemble_partial",
          "multiline");

  /** The option keys of the steps whose value is a map with fixed keys. */
  public static final Map<String, List<String>> STEP_OPTIONS =
      Map.of(
          "parse_json", List.of("field", "into"),
          "redact", List.of("field", "pattern", "replacement"),
          "sample", List.of("one_in"),
          "rate_limit", List.of("per_second", "burst", "key"),
          "reassemble_partial", List.of("max_size", "timeout"),
          "multiline", List.of("start", "field", "timeout", "max_lines"));

  private RouteSyntax() {}
}
