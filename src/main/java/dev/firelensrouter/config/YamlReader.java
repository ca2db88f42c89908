package dev.firelensrouter.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads YAML into {@link ConfigNode}s that keep their file:line:col, and expands {@code ${NAME}}
 * and {@code ${NAME:-default}} in scalars from the environment (after parsing, so positions stay
 * true). {@code $${} writes a literal {@code ${}.
 */
public final class YamlReader {
  private static final Pattern ENV =
      Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
  private static final YAMLFactory FACTORY = new YAMLFactory();

  private final String fileName;
  private final Function<String, String> environment;
  private final Problems problems;

  public YamlReader(String fileName, Function<String, String> environment, Problems problems) {
    this.fileName = fileName;
    this.environment = environment;
    this.problems = problems;
  }

  /** The document's root, or empty (with a problem) when the text is not YAML or is empty. */
  public Optional<ConfigNode> read(String text) {
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        problems.error(new Location(fileName, 1, 1), "the file is empty");
        return Optional.empty();
      }
      return Optional.of(readValue(parser));
    } catch (IOException e) {
      JsonLocation at =
          e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
              ? jpe.getLocation()
              : null;
      String message =
          e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
              ? jpe.getOriginalMessage()
              : e.getMessage();
      problems.error(
          at == null ? new Location(fileName, 1, 1) : locationOf(at),
          "not valid YAML: " + firstLine(message));
      return Optional.empty();
    }
  }

  private ConfigNode readValue(JsonParser parser) throws IOException {
    Location at = locationOf(parser.currentTokenLocation());
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT:
        return readMap(parser, at);
      case START_ARRAY:
        List<ConfigNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(readValue(parser));
        }
        return new ConfigNode.Sequence(items, at);
      case VALUE_NULL:
        return new ConfigNode.Scalar(null, parser.getText(), at);
      default:
        String text = interpolate(parser.getText(), at);
        return new ConfigNode.Scalar(text, text, at);
    }
  }

  private MapNode readMap(JsonParser parser, Location at) throws IOException {
    Map<ConfigNode.Key, ConfigNode> entries = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      Location keyAt = locationOf(parser.currentTokenLocation());
      parser.nextToken();
      ConfigNode value = readValue(parser);
      if (!seen.add(name)) {
        problems.error(keyAt, "duplicate key '" + name + "'");
        continue;
      }
      entries.put(new ConfigNode.Key(name, keyAt), value);
    }
    return ConfigNode.map(entries, at);
  }

  private String interpolate(String text, Location at) {
    if (text == null || text.indexOf('$') < 0) {
      return text;
    }
    Matcher m = ENV.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$${")) {
        replacement = "${";
      } else {
        String value = environment.apply(m.group(1));
        if (value == null || (value.isEmpty() && m.group(2) != null)) {
          if (m.group(2) != null) {
            value = m.group(2);
          } else {
            problems.error(
                at,
                "environment variable "
                    + m.group(1)
                    + " is not set (write ${"
                    + m.group(1)
                    + ":-default} for a default)");
            value = "";
          }
        }
        replacement = value;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private Location locationOf(JsonLocation at) {
    return new Location(fileName, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
