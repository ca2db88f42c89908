package dev.firelensrouter.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML map with typed, located reading. Every getter reports a problem (and returns empty) when
 * the value has the wrong type, so a validator can read a whole section and report everything.
 */
public record MapNode(Map<ConfigNode.Key, ConfigNode> entries, Location location)
    implements ConfigNode {

  @Override
  public String kindName() {
    return "a map";
  }

  public Optional<ConfigNode> get(String key) {
    for (Map.Entry<ConfigNode.Key, ConfigNode> e : entries.entrySet()) {
      if (e.getKey().name().equals(key)) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  public boolean has(String key) {
    return get(key).isPresent();
  }

  /** Where {@code key} is written, or this map's own location if it is absent. */
  public Location locationOf(String key) {
    for (ConfigNode.Key k : entries.keySet()) {
      if (k.name().equals(key)) {
        return k.location();
      }
    }
    return location;
  }

  /** Reports every key not in {@code known}, with a "did you mean" when one is close. */
  public void rejectUnknownKeys(Collection<String> known, String section, Problems problems) {
    for (ConfigNode.Key k : entries.keySet()) {
      if (!known.contains(k.name())) {
        String hint =
            Suggestions.closest(k.name(), known).map(s -> "; did you mean '" + s + "'?").orElse("");
        problems.error(k.location(), "unknown key '" + k.name() + "' in " + section + hint);
      }
    }
  }

  /** A scalar's text; null values count as absent. */
  public Optional<String> string(String key, Problems problems) {
    Optional<ConfigNode> node = get(key);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    if (node.get() instanceof ConfigNode.Scalar s) {
      return Optional.ofNullable(s.text());
    }
    problems.error(
        node.get().location(), "'" + key + "' must be a string, not " + node.get().kindName());
    return Optional.empty();
  }

  public String string(String key, String fallback, Problems problems) {
    return string(key, problems).orElse(fallback);
  }

  /** A string that must be there and not empty. */
  public Optional<String> requiredString(String key, String section, Problems problems) {
    Optional<String> value = string(key, problems);
    if (value.isEmpty() && !(get(key).isPresent() && !(get(key).get() instanceof Scalar))) {
      problems.error(location, section + " needs '" + key + "'");
    } else if (value.isPresent() && value.get().isEmpty()) {
      problems.error(locationOf(key), "'" + key + "' must not be empty");
      return Optional.empty();
    }
    return value;
  }

  public Optional<Boolean> bool(String key, Problems problems) {
    return scalar(key, problems)
        .flatMap(
            s -> {
              switch (s.text().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "yes", "on":
                  return Optional.of(true);
                case "false", "no", "off":
                  return Optional.of(false);
                default:
                  problems.error(
                      s.location(), "'" + key + "' must be true or false, not '" + s.text() + "'");
                  return Optional.empty();
              }
            });
  }

  public boolean bool(String key, boolean fallback, Problems problems) {
    return bool(key, problems).orElse(fallback);
  }

  public Optional<Long> integer(String key, long min, long max, Problems problems) {
    return scalar(key, problems)
        .flatMap(
            s -> {
              try {
                long v = Long.parseLong(s.text().trim().replace("_", ""));
                if (v < min || v > max) {
                  problems.error(
                      s.location(),
                      "'" + key + "' must be between " + min + " and " + max + ", not " + v);
                  return Optional.empty();
                }
                return Optional.of(v);
              } catch (NumberFormatException e) {
                problems.error(
                    s.location(), "'" + key + "' must be a whole number, not '" + s.text() + "'");
                return Optional.empty();
              }
            });
  }

  /** A size such as {@code 16MiB}, {@code 50M}, {@code 512KB} or {@code 1048576}. */
  public Optional<Long> size(String key, Problems problems) {
    return scalar(key, problems)
        .flatMap(
            s -> {
              Optional<Long> v = Units.parseSize(s.text());
              if (v.isEmpty()) {
                problems.error(
                    s.location(),
                    "'"
                        + key
                        + "' must be a size such as 16MiB, 50M or 4096, not '"
                        + s.text()
                        + "'");
              }
              return v;
            });
  }

  /**
   * A duration such as {@code 500ms}, {@code 25s}, {@code 2m}, {@code 1h}; a bare number is
   * seconds.
   */
  public Optional<Duration> duration(String key, Problems problems) {
    return scalar(key, problems)
        .flatMap(
            s -> {
              Optional<Duration> v = Units.parseDuration(s.text());
              if (v.isEmpty()) {
                problems.error(
                    s.location(),
                    "'"
                        + key
                        + "' must be a duration such as 500ms, 25s or 2m, not '"
                        + s.text()
                        + "'");
              }
              return v;
            });
  }

  /** One of {@code allowed}, compared as written. */
  public Optional<String> oneOf(String key, List<String> allowed, Problems problems) {
    return scalar(key, problems)
        .flatMap(
            s -> {
              if (allowed.contains(s.text())) {
                return Optional.of(s.text());
              }
              String hint =
                  Suggestions.closest(s.text(), allowed)
                      .map(x -> "; did you mean '" + x + "'?")
                      .orElse("");
              problems.error(
                  s.location(),
                  "'"
                      + key
                      + "' must be one of "
                      + String.join(", ", allowed)
                      + ", not '"
                      + s.text()
                      + "'"
                      + hint);
              return Optional.empty();
            });
  }

  public Optional<MapNode> map(String key, Problems problems) {
    Optional<ConfigNode> node = get(key);
    if (node.isEmpty() || (node.get() instanceof Scalar s && s.isNull())) {
      return Optional.empty();
    }
    if (node.get() instanceof MapNode m) {
      return Optional.of(m);
    }
    problems.error(
        node.get().location(), "'" + key + "' must be a map, not " + node.get().kindName());
    return Optional.empty();
  }

  /** A list; a single scalar is taken as a list of one. */
  public Optional<List<ConfigNode>> list(String key, Problems problems) {
    Optional<ConfigNode> node = get(key);
    if (node.isEmpty() || (node.get() instanceof Scalar s && s.isNull())) {
      return Optional.empty();
    }
    if (node.get() instanceof Sequence seq) {
      return Optional.of(seq.items());
    }
    if (node.get() instanceof Scalar) {
      return Optional.of(List.of(node.get()));
    }
    problems.error(
        node.get().location(), "'" + key + "' must be a list, not " + node.get().kindName());
    return Optional.empty();
  }

  /** A list of strings; a single string is taken as a list of one. */
  public Optional<List<String>> strings(String key, Problems problems) {
    return list(key, problems)
        .map(
            items -> {
              List<String> out = new ArrayList<>();
              for (ConfigNode item : items) {
                if (item instanceof Scalar s && !s.isNull()) {
                  out.add(s.text());
                } else {
                  problems.error(
                      item.location(), "'" + key + "' must list strings, not " + item.kindName());
                }
              }
              return out;
            });
  }

  private Optional<Scalar> scalar(String key, Problems problems) {
    Optional<ConfigNode> node = get(key);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    if (node.get() instanceof Scalar s) {
      return s.isNull() ? Optional.empty() : Optional.of(s);
    }
    problems.error(
        node.get().location(),
        "'" + key + "' must be a single value, not " + node.get().kindName());
    return Optional.empty();
  }
}
