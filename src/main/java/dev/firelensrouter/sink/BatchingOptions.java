package dev.firelensrouter.sink;

import dev.firelensrouter.config.MapNode;
import dev.firelensrouter.config.Problems;
import java.time.Duration;
import java.util.List;

/**
 * The engine options every batching output accepts: {@code flush_interval} (linger, default 1s),
 * {@code when_full} ({@code block} or {@code drop_newest}), {@code max_attempts} (default 10),
 * {@code max_age} (default 1h) and {@code max_in_flight} (default 4).
 */
public record BatchingOptions(
    Duration flushInterval,
    boolean dropWhenFull,
    int maxAttempts,
    Duration maxAge,
    int maxInFlight) {
  public static final List<String> KEYS =
      List.of("flush_interval", "when_full", "max_attempts", "max_age", "max_in_flight");

  public static BatchingOptions read(MapNode o, Problems problems) {
    return new BatchingOptions(
        o.duration("flush_interval", problems).orElse(Duration.ofSeconds(1)),
        o.oneOf("when_full", List.of("block", "drop_newest"), problems)
            .orElse("block")
            .equals("drop_newest"),
        o.integer("max_attempts", 1, 1000, problems).orElse(10L).intValue(),
        o.duration("max_age", problems).orElse(Duration.ofHours(1)),
        o.integer("max_in_flight", 1, 64, problems).orElse(4L).intValue());
  }
}
