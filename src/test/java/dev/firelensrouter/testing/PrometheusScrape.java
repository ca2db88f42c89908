package dev.firelensrouter.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scrape in the Prometheus text format (0.0.4), parsed line by line as a Prometheus server reads
 * it: {@code # TYPE} lines give each family its type, and every sample line is split into its name,
 * its labels (quoted values with their escapes) and its value. A malformed line fails the parse.
 */
public final class PrometheusScrape {
  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final Map<String, String> types = new LinkedHashMap<>();
  private final List<Sample> samples = new ArrayList<>();

  private PrometheusScrape() {}

  public static PrometheusScrape parse(String text) {
    PrometheusScrape scrape = new PrometheusScrape();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      try {
        scrape.read(line);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "line " + lineNo + " is not Prometheus text: " + line, e);
      }
    }
    return scrape;
  }

  private void read(String line) {
    if (line.startsWith("#")) {
      String[] parts = line.split(" ", 4);
      if (parts.length >= 4 && parts[1].equals("TYPE")) {
        if (types.put(parts[2], parts[3].trim()) != null) {
          throw new IllegalArgumentException("second TYPE line for " + parts[2]);
        }
      }
      return;
    }
    int i = 0;
    while (i < line.length() && isNameChar(line.charAt(i), i == 0)) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("no metric name");
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i = readLabels(line, i + 1, labels);
    }
    if (i >= line.length() || line.charAt(i) != ' ') {
      throw new IllegalArgumentException("no space before the value");
    }
    String[] rest = line.substring(i + 1).trim().split(" ");
    if (rest.length > 2) {
      throw new IllegalArgumentException("more than a value and a timestamp");
    }
    samples.add(new Sample(name, Map.copyOf(labels), parseValue(rest[0])));
  }

  private static int readLabels(String line, int i, Map<String, String> into) {
    while (true) {
      if (line.charAt(i) == '}') {
        return i + 1;
      }
      int start = i;
      while (isNameChar(line.charAt(i), i == start)) {
        i++;
      }
      String label = line.substring(start, i);
      if (label.isEmpty() || line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
        throw new IllegalArgumentException("bad label at column " + i);
      }
      i += 2;
      StringBuilder value = new StringBuilder();
      while (line.charAt(i) != '"') {
        char c = line.charAt(i);
        if (c == '\\') {
          char next = line.charAt(++i);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
        i++;
      }
      i++;
      if (into.put(label, value.toString()) != null) {
        throw new IllegalArgumentException("label " + label + " twice");
      }
      if (line.charAt(i) == ',') {
        i++;
      } else if (line.charAt(i) != '}') {
        throw new IllegalArgumentException("expected , or } at column " + i);
      }
    }
  }

  private static boolean isNameChar(char c, boolean first) {
    return c == '_'
        || c == ':'
        || (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (!first && c >= '0' && c <= '9');
  }

  private static double parseValue(String s) {
    return switch (s) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }

  /**
   * The type its {@code # TYPE} line gives the family a sample name belongs to ({@code _total},
   * {@code _bucket}, {@code _sum}, {@code _count} and {@code _created} are suffixes of their
   * family).
   */
  public Optional<String> typeOf(String sampleName) {
    if (types.containsKey(sampleName)) {
      return Optional.of(types.get(sampleName));
    }
    for (String suffix : List.of("_total", "_bucket", "_sum", "_count", "_created")) {
      if (sampleName.endsWith(suffix)) {
        String family = sampleName.substring(0, sampleName.length() - suffix.length());
        if (types.containsKey(family)) {
          return Optional.of(types.get(family));
        }
      }
    }
    return Optional.empty();
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The samples of exactly this name. */
  public List<Sample> named(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  /** The samples of this name whose labels include every given one. */
  public List<Sample> named(String name, Map<String, String> labels) {
    return named(name).stream()
        .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
        .toList();
  }

  /** The one value of this name and labels, or NaN when there is none. */
  public double value(String name, Map<String, String> labels) {
    List<Sample> found = named(name, labels);
    return found.size() == 1 ? found.get(0).value() : Double.NaN;
  }
}
