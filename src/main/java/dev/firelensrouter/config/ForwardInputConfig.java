package dev.firelensrouter.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The {@code inputs.forward:} section. An empty {@code sharedKey} means no handshake. */
public record ForwardInputConfig(
    Optional<HostPort> tcp,
    Optional<Path> unix,
    String sharedKey,
    String selfHostname,
    List<User> users,
    Optional<Tls> tls,
    long maxFrame,
    AckMode ack,
    int maxConnections,
    boolean udpHeartbeat,
    Duration handshakeTimeout) {

  /** When a chunk is acknowledged to its sender. */
  public enum AckMode {
    /** Every destination took responsibility (the default). */
    DELIVERED,
    /** The chunk is in the ring. */
    RECEIVED
  }

  /** Certificate and key files (PEM) for TLS on the TCP listener. */
  public record Tls(Path certFile, Path keyFile) {}

  /** A user for the handshake's optional password check. */
  public record User(String username, String password) {}
}
