package dev.firelensrouter.config;

/**
 * One entry of {@code outputs:}, its options kept as a located map. Each destination type reads and
 * validates its own options (see the destinations' config classes).
 */
public record OutputSpec(String name, String type, MapNode options) {
  public Location location() {
    return options.location();
  }
}
