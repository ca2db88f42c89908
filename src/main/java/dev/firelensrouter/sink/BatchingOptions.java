package dev.firelensrouter.sink;

import dev.firelensrouter.config.MapNode;
import dev.firelensrouter.config.Problems;
import java.time.Duration;
import java.util.List;

/**
 * The engine options every batching output accepts: {@code flush_interval} (linger, default 1s),
 * {@code when_full} ({@code block} or {@code drop_newest}), {@code max_attempts} (default 10),
 * {@code max_age} (default 1h), {@code max_in_flight} (default 4, per output and per partition),
 * and the optional pace of the output's quota: {@code max_requests_per_second} and {@code
 * max_bytes_per_second} (0: none).
 */
public record BatchingOptions(
    Duration flushInterval,
    boolean dropWhenFull,
    int maxAttempts,
    Duration maxAge,
    int maxInFlight,
    long maxRequestsPerSecond,
    long maxBytesPerSecond) {
  public static final List<String> KEYS =
      List.of(
          "flush_interval",
          "when_full",
          "max_attempts",
          "max_age",
          "max_in_flight",
          "max_requests_per_second",
          "max_bytes_per_second");

  public BatchingOptions(
      Duration flushInterval,
      boolean dropWhenFull,
      int maxAttempts,
      Duration maxAge,
      int maxInFlight) {
    this(flushInterval, dropWhenFull, maxAttempts, maxAge, maxInFlight, 0, 0);
  }

  /** An output type's own keys followed by the engine's. */
  public static List<String> keysWith(List<String> own) {
    List<String> keys = new java.util.ArrayList<>(own);
    keys.addAll(KEYS);
    return keys;
  }

  /** Refuses keys that are not {@code type} or one of {@code keys}, naming the output. */
  public static void rejectUnknownKeys(
      MapNode o, List<String> keys, String output, Problems problems) {
    List<String> known = new java.util.ArrayList<>(keys);
    known.add("type");
    o.rejectUnknownKeys(known, "output '" + output + "'", problems);
  }

  public static BatchingOptions read(MapNode o, Problems problems) {
    return new BatchingOptions(
        o.duration("flush_interval", problems).orElse(Duration.ofSeconds(1)),
        o.oneOf("when_full", List.of("block", "drop_newest"), problems)
            .orElse("block")
            .equals("drop_newest"),
        o.integer("max_attempts", 1, 1000, problems).orElse(10L).intValue(),
        o.duration("max_age", problems).orElse(Duration.ofHours(1)),
        o.integer("max_in_flight", 1, 64, problems).orElse(4L).intValue(),
        o.integer("max_requests_per_second", 0, 1_000_000, problems).orElse(0L),
        o.size("max_bytes_per_second", problems).orElse(0L));
  }

  /** The output's own pace, if it has one. */
  RequestRateCap ownCap() {
    return maxRequestsPerSecond > 0 || maxBytesPerSecond > 0
        ? new RequestRateCap(maxRequestsPerSecond, maxBytesPerSecond)
        : null;
  }
}
