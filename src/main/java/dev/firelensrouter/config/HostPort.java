package dev.firelensrouter.config;

import java.util.Optional;

/** {@code host:port}, {@code [v6]:port} or {@code :port} (all interfaces). */
public record HostPort(String host, int port) {
  public static Optional<HostPort> parse(String text) {
    String t = text.trim();
    int colon = t.lastIndexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    String host = t.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      host = "0.0.0.0";
    }
    try {
      int port = Integer.parseInt(t.substring(colon + 1));
      return port < 0 || port > 65535 ? Optional.empty() : Optional.of(new HostPort(host, port));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
