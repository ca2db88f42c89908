package dev.firelensrouter.event;

import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A name template such as {@code /ecs/{{ ecs.family }}} or {@code logs/{{ tag }}/%Y/%m/%d/}.
 * Compiled once; {@link #render} walks a list of parts.
 *
 * <p>Variables: {@code tag}, {@code tag[N]} (the N-th part of the tag split on '.', like Fluent
 * Bit's {@code $TAG[N]}; empty if there is no such part), {@code ecs.cluster}, {@code ecs.task_id},
 * {@code ecs.task_arn}, {@code ecs.family}, {@code ecs.revision}, {@code ecs.az}, {@code
 * container_name} (the record's field without its leading '/'), {@code uuid}, {@code index}, and
 * any other dotted name is a record field. {@code {{ x | default: "y" }}} renders {@code y} when
 * {@code x} is missing or empty. Outside {@code {{ }}}, strftime directives {@code %Y %m %d %H %M
 * %S %y %j %b %e %s %z %%} format the event time in the template's zone; any other {@code %} is
 * kept as written.
 */
public final class Template {
  /** The names {@code ecs.*} a scope can answer. */
  public static final Set<String> ECS_NAMES =
      Set.of("ecs.cluster", "ecs.task_id", "ecs.task_arn", "ecs.family", "ecs.revision", "ecs.az");

  private final String text;
  private final List<TemplatePart> parts;
  private final Set<String> variables;
  private final TimeFields time;

  private Template(String text, List<TemplatePart> parts, Set<String> variables, ZoneId zone) {
    this.text = text;
    this.parts = parts;
    this.variables = variables;
    this.time = new TimeFields(zone);
  }

  /**
   * Compiles a template.
   *
   * @throws IllegalArgumentException naming the column (1-based) and what is wrong
   */
  public static Template compile(String text, ZoneId zone) {
    List<TemplatePart> parts = TemplateParser.parse(text);
    Set<String> vars = new LinkedHashSet<>();
    for (TemplatePart part : parts) {
      part.collectVariables(vars);
    }
    return new Template(text, List.copyOf(parts), Collections.unmodifiableSet(vars), zone);
  }

  /** Renders the template for one event. */
  public String render(String tag, Event event, TemplateScope scope) {
    if (parts.size() == 1 && parts.get(0) instanceof TemplatePart.Literal l) {
      return l.text();
    }
    StringBuilder out = new StringBuilder(text.length() + 32);
    TemplatePart.Context ctx = new TemplatePart.Context(tag, event, scope, time);
    for (TemplatePart part : parts) {
      part.append(ctx, out);
    }
    return out.toString();
  }

  /** True when the template renders the same text for every event. */
  public boolean isConstant() {
    return variables.isEmpty();
  }

  /**
   * The variables the template reads: {@code tag}, {@code tag[N]}, {@code ecs.*}, field paths,
   * {@code uuid}, {@code index}, {@code container_name}, and {@code time} when it has strftime
   * directives.
   */
  public Set<String> variables() {
    return variables;
  }

  /** The template as written. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}
