package dev.firelensrouter.config;

/** One thing wrong (or suspicious) in a config file, with where it is. */
public record Problem(Severity severity, Location location, String message) {
  public enum Severity {
    ERROR,
    WARNING
  }

  /** {@code FILE:LINE:COL: message}, with {@code warning: } before warnings. */
  @Override
  public String toString() {
    return location + ": " + (severity == Severity.WARNING ? "warning: " : "") + message;
  }
}
