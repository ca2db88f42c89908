package dev.firelensrouter.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.config.OutputSpec;
import dev.firelensrouter.config.Problem;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.config.RouterConfig;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.NameRules;
import dev.firelensrouter.event.RecordFields;
import dev.firelensrouter.event.RecordJson;
import dev.firelensrouter.event.Template;
import dev.firelensrouter.event.TemplateScope;
import java.io.IOException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Answers "where would this record go?" without sending it: the {@code explain} command. Routes are
 * compiled as for a run; the record is a JSON object stamped with the clock's time.
 */
public final class Explainer {
  /** The output options that name where a record goes; rendered as templates when present. */
  static final List<String> NAME_OPTIONS =
      List.of("log_group", "log_stream", "delivery_stream", "bucket", "key", "path");

  private final TemplateScope scope;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();

  public Explainer(TemplateScope scope, Clock clock) {
    this.scope = scope;
    this.clock = clock;
  }

  /**
   * @throws IllegalArgumentException when {@code recordJson} is not JSON
   */
  public ExplainReport explain(RouterConfig config, String tag, String recordJson) {
    Object value;
    try {
      value = json.readValue(recordJson, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the record is not valid JSON: " + e.getOriginalMessage(), e);
    }
    Instant now = clock.instant();
    Event event = new Event(now.getEpochSecond(), now.getNano(), RecordTree.encodeValue(value));
    JsonNode input = tree(event);
    Problems problems = new Problems();
    Set<String> outputs =
        config.outputs().stream().map(OutputSpec::name).collect(Collectors.toSet());
    Optional<RouteTable> table = RouteTable.compile(config.routes(), outputs, problems, clock);
    if (table.isEmpty()) {
      List<String> errors = problems.errors().stream().map(Problem::toString).toList();
      return new ExplainReport(tag, input, List.of(), errors, false);
    }
    List<ExplainReport.RouteVerdict> verdicts = new ArrayList<>();
    String takenBy = null;
    boolean taken = false;
    for (Route r : table.get().routes()) {
      if (takenBy != null) {
        verdicts.add(
            new ExplainReport.RouteVerdict(
                r.name(),
                "not_reached",
                "route '" + takenBy + "' took the record",
                List.of(),
                null,
                List.of()));
        continue;
      }
      Optional<String> whyNot = r.match().whyNot(tag, event);
      if (whyNot.isPresent()) {
        verdicts.add(
            new ExplainReport.RouteVerdict(
                r.name(), "no_match", whyNot.get(), List.of(), null, List.of()));
        continue;
      }
      taken = true;
      verdicts.add(matched(r, tag, event, config, table.get()));
      if (!r.continueMatching()) {
        takenBy = r.name();
      }
    }
    return new ExplainReport(tag, input, verdicts, List.of(), !taken);
  }

  private ExplainReport.RouteVerdict matched(
      Route r, String tag, Event event, RouterConfig config, RouteTable table) {
    List<ExplainReport.Step> steps = new ArrayList<>();
    Transform.Context ctx = new Transform.Context(tag, scope, table.counters());
    RecordEdit edit = new RecordEdit(event);
    String dropped = null;
    for (Object step : r.chain().steps()) {
      if (step instanceof Transform t) {
        String note = "";
        String reason;
        try {
          reason = t.apply(ctx, edit);
        } catch (RuntimeException e) {
          reason = null;
          note = "failed: " + e.getMessage() + "; the record goes on as it was";
          edit = new RecordEdit(edit.original());
        }
        if (reason != null) {
          dropped = reason;
          steps.add(
              new ExplainReport.Step(t.describe(), tree(edit.result()), "dropped: " + reason));
          break;
        }
        steps.add(new ExplainReport.Step(t.describe(), tree(edit.result()), note));
      } else if (step instanceof PartialReassembler p) {
        if ("true".equals(RecordFields.text(edit.result(), PartialReassembler.PARTIAL))) {
          steps.add(
              new ExplainReport.Step(
                  p.describe(),
                  tree(edit.result()),
                  "a partial message: held until its last part, then joined"));
        }
      } else if (step instanceof Joiner j) {
        steps.add(
            new ExplainReport.Step(
                j.describe(),
                tree(edit.result()),
                "joins the following continuation lines in a live run; shown alone"));
      }
    }
    List<ExplainReport.Target> targets = new ArrayList<>();
    if (dropped == null) {
      Event out = edit.result();
      for (String name : r.to()) {
        config
            .output(name)
            .ifPresent(
                o -> targets.add(new ExplainReport.Target(name, o.type(), names(o, tag, out))));
      }
    }
    String why = r.match().tagOnly() && r.match().tagPatterns().isEmpty() ? "catch-all" : "";
    return new ExplainReport.RouteVerdict(r.name(), "matched", why, steps, dropped, targets);
  }

  private Map<String, String> names(OutputSpec o, String tag, Event event) {
    Problems ignored = new Problems();
    ZoneId zone = ZoneOffset.UTC;
    Optional<String> tz = o.options().string("time_zone", ignored);
    try {
      if (tz.isPresent()) {
        zone = ZoneId.of(tz.get());
      }
    } catch (DateTimeException e) {
      zone = ZoneOffset.UTC;
    }
    Map<String, String> names = new LinkedHashMap<>();
    for (String key : NAME_OPTIONS) {
      Optional<String> text = o.options().string(key, ignored);
      if (text.isEmpty()) {
        continue;
      }
      try {
        String rendered = Template.compile(text.get(), zone).render(tag, event, scope);
        names.put(key, sanitiser(o.type(), key).apply(rendered));
      } catch (IllegalArgumentException e) {
        names.put(key, "<bad template: " + e.getMessage() + ">");
      }
    }
    return names;
  }

  private static UnaryOperator<String> sanitiser(String type, String key) {
    if (type.equals("cloudwatch_logs") && key.equals("log_group")) {
      return NameRules::cloudWatchLogGroup;
    }
    if (type.equals("cloudwatch_logs") && key.equals("log_stream")) {
      return NameRules::cloudWatchLogStream;
    }
    if (type.equals("s3") && key.equals("key")) {
      return NameRules::s3Key;
    }
    return UnaryOperator.identity();
  }

  private JsonNode tree(Event e) {
    try {
      return json.readTree(RecordJson.toJson(e));
    } catch (IOException | IllegalArgumentException ex) {
      return json.getNodeFactory().textNode("<unreadable record>");
    }
  }
}
