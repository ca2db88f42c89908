package dev.firelensrouter.event;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns template text into {@link TemplatePart}s; errors name the 1-based column. */
final class TemplateParser {
  private static final Pattern FIELD =
      Pattern.compile("[A-Za-z_@$][A-Za-z0-9_@$\\-]*(\\.[A-Za-z0-9_@$\\-]+)*");
  private static final Pattern TAG_PART = Pattern.compile("tag\\[(\\d{1,3})]");
  private static final Pattern DEFAULT =
      Pattern.compile("default\\s*:\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)')");

  private TemplateParser() {}

  static List<TemplatePart> parse(String text) {
    List<TemplatePart> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '{' && text.startsWith("{{", i)) {
        int close = text.indexOf("}}", i + 2);
        if (close < 0) {
          throw error(i, "'{{' is never closed by '}}'");
        }
        flush(literal, parts);
        parts.add(variable(text.substring(i + 2, close), i + 2));
        i = close + 2;
      } else if (c == '%' && i + 1 < text.length()) {
        char d = text.charAt(i + 1);
        if (d == '%') {
          literal.append('%');
          i += 2;
        } else if (TimeFields.DIRECTIVES.indexOf(d) >= 0) {
          flush(literal, parts);
          parts.add(new TemplatePart.Strftime(d));
          i += 2;
        } else {
          literal.append(c);
          i++;
        }
      } else {
        literal.append(c);
        i++;
      }
    }
    flush(literal, parts);
    if (parts.isEmpty()) {
      parts.add(new TemplatePart.Literal(""));
    }
    return parts;
  }

  private static void flush(StringBuilder literal, List<TemplatePart> parts) {
    if (literal.length() > 0) {
      parts.add(new TemplatePart.Literal(literal.toString()));
      literal.setLength(0);
    }
  }

  private static TemplatePart variable(String expr, int start) {
    int bar = expr.indexOf('|');
    String nameText = bar < 0 ? expr : expr.substring(0, bar);
    String name = nameText.strip();
    int nameCol = start + leading(nameText);
    String fallback = null;
    if (bar >= 0) {
      String filter = expr.substring(bar + 1).strip();
      int filterCol = start + bar + 1 + leading(expr.substring(bar + 1));
      Matcher m = DEFAULT.matcher(filter);
      if (!m.matches()) {
        throw error(filterCol, "unknown filter '" + filter + "' (only default: \"text\")");
      }
      fallback = m.group(1) != null ? m.group(1).replaceAll("\\\\(.)", "$1") : m.group(2);
    }
    if (name.isEmpty()) {
      throw error(nameCol, "empty '{{ }}': name a variable");
    }
    return new Variable(name, nameCol, fallback).build();
  }

  private record Variable(String name, int col, String fallback) {
    TemplatePart build() {
      Matcher tagPart = TAG_PART.matcher(name);
      if (name.equals("tag")) {
        return of(TemplatePart.Source.TAG, 0, null);
      }
      if (tagPart.matches()) {
        return of(TemplatePart.Source.TAG_PART, Integer.parseInt(tagPart.group(1)), null);
      }
      if (name.startsWith("tag[")) {
        throw error(col, "bad '" + name + "': write tag[N] with N a number from 0");
      }
      if (name.startsWith("ecs.")) {
        if (!Template.ECS_NAMES.contains(name)) {
          throw error(
              col,
              "unknown variable '"
                  + name
                  + "' (known: ecs.cluster, ecs.task_id, ecs.task_arn, ecs.family,"
                  + " ecs.revision, ecs.az)");
        }
        return of(TemplatePart.Source.ECS, 0, null);
      }
      switch (name) {
        case "container_name":
          return of(TemplatePart.Source.CONTAINER_NAME, 0, RecordFields.Path.of(name));
        case "uuid":
          return of(TemplatePart.Source.UUID, 0, null);
        case "index":
          return of(TemplatePart.Source.INDEX, 0, null);
        default:
          break;
      }
      if (!FIELD.matcher(name).matches()) {
        throw error(
            col,
            "unknown variable '"
                + name
                + "' (use tag, tag[N], ecs.*, container_name, uuid, index or a field path"
                + " like a.b)");
      }
      return of(TemplatePart.Source.FIELD, 0, RecordFields.Path.of(name));
    }

    private TemplatePart of(TemplatePart.Source source, int n, RecordFields.Path path) {
      return new TemplatePart.Variable(name, source, n, path, fallback);
    }
  }

  private static int leading(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static IllegalArgumentException error(int index, String message) {
    return new IllegalArgumentException("column " + (index + 1) + ": " + message);
  }
}
