package dev.firelensrouter.config;

/** A place in a config file, 1-based, printed as {@code FILE:LINE:COL}. */
public record Location(String file, int line, int column) {
  public static final Location UNKNOWN = new Location("<unknown>", 0, 0);

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
