package dev.firelensrouter.route;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.config.ConfigNode;
import dev.firelensrouter.config.Location;
import dev.firelensrouter.config.MapNode;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.event.RecordFields;
import dev.firelensrouter.event.Template;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads a route's {@code transform:} list into steps, reporting every problem. */
final class TransformParser {
  static final List<String> STEPS = RouteSyntax.TRANSFORM_STEPS;
  static final List<String> PARSE_JSON_KEYS = RouteSyntax.STEP_OPTIONS.get("parse_json");
  static final List<String> REDACT_KEYS = RouteSyntax.STEP_OPTIONS.get("redact");
  static final List<String> SAMPLE_KEYS = RouteSyntax.STEP_OPTIONS.get("sample");
  static final List<String> RATE_LIMIT_KEYS = RouteSyntax.STEP_OPTIONS.get("rate_limit");
  static final List<String> PARTIAL_KEYS = RouteSyntax.STEP_OPTIONS.get("reassemble_partial");
  static final List<String> MULTILINE_KEYS = RouteSyntax.STEP_OPTIONS.get("multiline");
  static final long DEFAULT_PARTIAL_MAX = 1L << 20;
  static final Duration DEFAULT_PARTIAL_TIMEOUT = Duration.ofSeconds(5);

  private final Problems problems;
  private final Clock clock;
  private final TransformCounters counters;
  private final ObjectMapper json = new ObjectMapper();

  TransformParser(Problems problems, Clock clock, TransformCounters counters) {
    this.problems = problems;
    this.clock = clock;
    this.counters = counters;
  }

  /** The steps of one route; partial reassembly comes first unless the list configures it. */
  List<Object> parse(Optional<ConfigNode.Sequence> list) {
    List<Object> steps = new ArrayList<>();
    boolean partialConfigured = false;
    for (ConfigNode item : list.map(ConfigNode.Sequence::items).orElse(List.of())) {
      if (!(item instanceof MapNode m) || m.entries().size() != 1) {
        problems.error(
            item.location(),
            "each transform step is a map with one key: " + String.join(", ", STEPS));
        continue;
      }
      ConfigNode.Key key = m.entries().keySet().iterator().next();
      if (!STEPS.contains(key.name())) {
        m.rejectUnknownKeys(STEPS, "transform", problems);
        continue;
      }
      partialConfigured |= key.name().equals("reassemble_partial");
      step(key.name(), m).ifPresent(steps::add);
    }
    if (!partialConfigured) {
      steps.add(0, defaultPartial());
    }
    return steps;
  }

  PartialReassembler defaultPartial() {
    return new PartialReassembler(
        DEFAULT_PARTIAL_MAX, DEFAULT_PARTIAL_TIMEOUT.toMillis(), clock, counters);
  }

  private Optional<Object> step(String name, MapNode m) {
    ConfigNode value = m.get(name).orElseThrow();
    Location at = m.locationOf(name);
    switch (name) {
      case "parse_json":
        if (value instanceof MapNode o) {
          o.rejectUnknownKeys(PARSE_JSON_KEYS, "parse_json", problems);
          Optional<String> field = o.requiredString("field", "parse_json", problems);
          Optional<String> into = o.string("into", problems);
          return field.map(
              f ->
                  new Transform.ParseJson(
                      path(f), into.map(RecordFields.Path::of).orElse(null), json));
        }
        return m.string(name, problems).map(f -> new Transform.ParseJson(path(f), null, json));
      case "set":
        return m.map(name, problems).map(this::set);
      case "remove":
        return m.strings(name, problems)
            .map(fs -> new Transform.RemoveFields(fs.stream().map(TransformParser::path).toList()));
      case "rename":
        return m.map(name, problems).map(this::rename);
      case "redact":
        return m.map(name, problems).flatMap(this::redact);
      case "sample":
        return m.map(name, problems)
            .flatMap(
                o -> {
                  o.rejectUnknownKeys(SAMPLE_KEYS, "sample", problems);
                  if (!o.has("one_in")) {
                    problems.error(o.location(), "sample needs 'one_in'");
                  }
                  return o.integer("one_in", 1, Integer.MAX_VALUE, problems)
                      .map(n -> new Transform.Sample(n.intValue()));
                });
      case "rate_limit":
        return m.map(name, problems).flatMap(this::rateLimit);
      case "reassemble_partial":
        return partial(m, value);
      case "multiline":
        return m.map(name, problems).flatMap(this::multiline);
      default:
        problems.error(at, "unknown transform '" + name + "'");
        return Optional.empty();
    }
  }

  private Transform set(MapNode o) {
    Map<RecordFields.Path, Template> values = new LinkedHashMap<>();
    for (Map.Entry<ConfigNode.Key, ConfigNode> e : o.entries().entrySet()) {
      if (e.getValue() instanceof ConfigNode.Scalar s && !s.isNull()) {
        template(s.text(), s.location()).ifPresent(t -> values.put(path(e.getKey().name()), t));
      } else {
        problems.error(e.getValue().location(), "set values must be strings or templates");
      }
    }
    return new Transform.SetFields(values);
  }

  private Transform rename(MapNode o) {
    Map<RecordFields.Path, RecordFields.Path> renames = new LinkedHashMap<>();
    for (Map.Entry<ConfigNode.Key, ConfigNode> e : o.entries().entrySet()) {
      if (e.getValue() instanceof ConfigNode.Scalar s && !s.isNull()) {
        renames.put(path(e.getKey().name()), path(s.text()));
      } else {
        problems.error(e.getValue().location(), "rename maps a field to its new name");
      }
    }
    return new Transform.RenameFields(renames);
  }

  private Optional<Object> redact(MapNode o) {
    o.rejectUnknownKeys(REDACT_KEYS, "redact", problems);
    Optional<String> field = o.requiredString("field", "redact", problems);
    Optional<Pattern> pattern =
        o.requiredString("pattern", "redact", problems)
            .flatMap(p -> regex(p, o.locationOf("pattern")));
    String replacement = o.string("replacement", "[REDACTED]", problems);
    if (field.isEmpty() || pattern.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Transform.Redact(
            path(field.get()),
            pattern.get(),
            java.util.regex.Matcher.quoteReplacement(replacement)));
  }

  private Optional<Object> rateLimit(MapNode o) {
    o.rejectUnknownKeys(RATE_LIMIT_KEYS, "rate_limit", problems);
    if (!o.has("per_second")) {
      problems.error(o.location(), "rate_limit needs 'per_second'");
    }
    Optional<Long> perSecond = o.integer("per_second", 1, 100_000_000, problems);
    long burst = o.integer("burst", 1, 1_000_000_000, problems).orElse(perSecond.orElse(1L));
    Optional<Template> key = template(o.string("key", "", problems), o.locationOf("key"));
    if (perSecond.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RateLimit(perSecond.get(), burst, key.get(), clock));
  }

  private Optional<Object> partial(MapNode m, ConfigNode value) {
    if (value instanceof MapNode o) {
      o.rejectUnknownKeys(PARTIAL_KEYS, "reassemble_partial", problems);
      long max = o.size("max_size", problems).orElse(DEFAULT_PARTIAL_MAX);
      Duration timeout = o.duration("timeout", problems).orElse(DEFAULT_PARTIAL_TIMEOUT);
      return Optional.of(new PartialReassembler(max, timeout.toMillis(), clock, counters));
    }
    boolean on = m.bool("reassemble_partial", true, problems);
    return on ? Optional.of(defaultPartial()) : Optional.empty();
  }

  private Optional<Object> multiline(MapNode o) {
    o.rejectUnknownKeys(MULTILINE_KEYS, "multiline", problems);
    Optional<Pattern> start =
        o.requiredString("start", "multiline", problems)
            .flatMap(p -> regex(p, o.locationOf("start")));
    String field = o.string("field", "log", problems);
    Duration timeout = o.duration("timeout", problems).orElse(Duration.ofSeconds(2));
    long maxLines = o.integer("max_lines", 2, 100_000, problems).orElse(500L);
    return start.map(
        p ->
            new MultilineJoiner(
                p, path(field), timeout.toMillis(), (int) maxLines, clock, counters));
  }

  private Optional<Template> template(String text, Location at) {
    try {
      return Optional.of(Template.compile(text, ZoneOffset.UTC));
    } catch (IllegalArgumentException e) {
      problems.error(at, "bad template '" + text + "': " + e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<Pattern> regex(String re, Location at) {
    try {
      return Optional.of(Pattern.compile(re));
    } catch (PatternSyntaxException e) {
      problems.error(at, "invalid regex '" + re + "': " + e.getDescription());
      return Optional.empty();
    }
  }

  private static RecordFields.Path path(String dotted) {
    return RecordFields.Path.of(dotted);
  }
}
