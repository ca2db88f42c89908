package dev.firelensrouter.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes and durations as users write them. */
public final class Units {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)");
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

  private Units() {}

  /**
   * {@code KiB/MiB/GiB} and Fluent Bit's bare {@code K/M/G} are powers of 1024; {@code KB/MB/GB}
   * are powers of 1000; a bare number is bytes.
   */
  public static Optional<Long> parseSize(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    double number = Double.parseDouble(m.group(1));
    long unit;
    switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "", "b" -> unit = 1;
      case "k", "ki", "kib" -> unit = 1L << 10;
      case "m", "mi", "mib" -> unit = 1L << 20;
      case "g", "gi", "gib" -> unit = 1L << 30;
      case "kb" -> unit = 1000L;
      case "mb" -> unit = 1000_000L;
      case "gb" -> unit = 1000_000_000L;
      default -> {
        return Optional.empty();
      }
    }
    return Optional.of((long) (number * unit));
  }

  public static Optional<Duration> parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return Optional.empty();
    }
    double number = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis =
        switch (unit) {
          case "ms" -> number;
          case "s" -> number * 1000;
          case "m" -> number * 60_000;
          case "h" -> number * 3_600_000;
          default -> number * 86_400_000;
        };
    return Optional.of(Duration.ofMillis((long) millis));
  }
}
