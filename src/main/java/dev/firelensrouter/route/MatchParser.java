package dev.firelensrouter.route;

import dev.firelensrouter.config.ConfigNode;
import dev.firelensrouter.config.Location;
import dev.firelensrouter.config.MapNode;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.event.RecordFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads a route's {@code match:} map into a {@link RouteMatch}, reporting every problem. */
final class MatchParser {
  static final List<String> MATCH_KEYS = RouteSyntax.MATCH_KEYS;
  static final List<String> OPERATORS = RouteSyntax.OPERATORS;
  static final List<String> CONDITION_KEYS = RouteSyntax.CONDITION_KEYS;

  private final Problems problems;

  MatchParser(Problems problems) {
    this.problems = problems;
  }

  RouteMatch parse(MapNode m) {
    m.rejectUnknownKeys(MATCH_KEYS, "match", problems);
    List<TagPattern> tags = new ArrayList<>();
    m.string("tag", problems)
        .ifPresent(
            glob -> {
              try {
                tags.add(TagPattern.glob(glob));
              } catch (IllegalArgumentException e) {
                problems.error(
                    m.locationOf("tag"), "bad tag glob '" + glob + "': " + e.getMessage());
              }
            });
    m.string("tag_regex", problems)
        .ifPresent(
            re ->
                regex(re, m.locationOf("tag_regex"))
                    .ifPresent(p -> tags.add(TagPattern.regex(re))));
    return new RouteMatch(
        List.copyOf(tags), conditions(m, "all"), conditions(m, "any"), conditions(m, "none"));
  }

  private List<Condition> conditions(MapNode m, String key) {
    List<Condition> out = new ArrayList<>();
    m.list(key, problems)
        .ifPresent(
            items -> {
              for (ConfigNode item : items) {
                if (item instanceof MapNode c) {
                  condition(c).ifPresent(out::add);
                } else {
                  problems.error(
                      item.location(),
                      "each condition in '"
                          + key
                          + "' must be a map such as { field: source, equals: stdout }");
                }
              }
            });
    return List.copyOf(out);
  }

  private Optional<Condition> condition(MapNode c) {
    c.rejectUnknownKeys(CONDITION_KEYS, "a condition", problems);
    Optional<String> field = c.requiredString("field", "a condition", problems);
    List<String> ops = OPERATORS.stream().filter(c::has).toList();
    if (ops.size() != 1) {
      problems.error(
          c.location(),
          "a condition needs exactly one of "
              + String.join(", ", OPERATORS)
              + (ops.isEmpty() ? "" : "; found " + String.join(", ", ops)));
      return Optional.empty();
    }
    if (field.isEmpty()) {
      return Optional.empty();
    }
    String op = ops.get(0);
    RecordFields.Path path = RecordFields.Path.of(field.get());
    if (path.names().stream().anyMatch(String::isEmpty)) {
      problems.error(c.locationOf("field"), "bad field path '" + field.get() + "'");
      return Optional.empty();
    }
    return switch (op) {
      case "equals" -> literal(c, op).map(v -> new Condition.Equals(path, v));
      case "not_equals" -> literal(c, op).map(v -> new Condition.NotEquals(path, v));
      case "gt" -> literal(c, op).map(v -> new Condition.Compare(path, v, 1));
      case "lt" -> literal(c, op).map(v -> new Condition.Compare(path, v, -1));
      case "matches" ->
          c.string(op, problems)
              .flatMap(re -> regex(re, c.locationOf(op)))
              .map(p -> new Condition.Matches(path, p));
      case "exists" -> c.bool(op, problems).map(b -> new Condition.Exists(path, b));
      case "in" ->
          c.strings(op, problems)
              .map(vs -> new Condition.In(path, vs.stream().map(Literal::of).toList()));
      default -> Optional.empty();
    };
  }

  private Optional<Literal> literal(MapNode c, String key) {
    return c.string(key, problems).map(Literal::of);
  }

  private Optional<Pattern> regex(String re, Location at) {
    try {
      return Optional.of(Pattern.compile(re));
    } catch (PatternSyntaxException e) {
      problems.error(at, "invalid regex '" + re + "': " + e.getDescription());
      return Optional.empty();
    }
  }
}
