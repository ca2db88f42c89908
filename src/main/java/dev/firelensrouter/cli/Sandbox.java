package dev.firelensrouter.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** The AWS emulators of {@code run --sandbox}, or nothing when not asked for. */
final class Sandbox implements AutoCloseable {
  private final Map<String, URI> endpoints;

  private Sandbox(Map<String, URI> endpoints) {
    this.endpoints = endpoints;
  }

  static Sandbox startIf(Path dir) {
    if (dir == null) {
      return new Sandbox(Map.of());
    }
    return new Sandbox(Map.of());
  }

  Map<String, URI> endpoints() {
    return endpoints;
  }

  @Override
  public void close() {}
}
