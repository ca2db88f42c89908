package dev.firelensrouter.sink;

import dev.firelensrouter.config.MapNode;
import dev.firelensrouter.config.Problems;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The engine options every batching output accepts: {@code flush_interval} (linger, default 1s),
 * {@code when_full} ({@code block} or {@code drop_newest}, once memory and disk are full), {@code
 * max_attempts} (default 10), {@code max_age} (default 1h), {@code max_in_flight} (default 4, per
 * output and per partition), the optional pace of the output's quota: {@code
 * max_requests_per_second} and {@code max_bytes_per_second} (0: none), and the disk spill: {@code
 * max_disk} (default 1GiB; 0: no spill) and {@code fsync} ({@code batch}, {@code always} or {@code
 * never}).
 */
public record BatchingOptions(
    Duration flushInterval,
    boolean dropWhenFull,
    int maxAttempts,
    Duration maxAge,
    int maxInFlight,
    long maxRequestsPerSecond,
    long maxBytesPerSecond,
    long maxDisk,
    Fsync fsync) {
  public static final List<String> KEYS =
      List.of(
          "flush_interval",
          "when_full",
          "max_attempts",
          "max_age",
          "max_in_flight",
          "max_requests_per_second",
          "max_bytes_per_second",
          "max_disk",
          "fsync");

  /** The default bound on an output's spool. */
  public static final long DEFAULT_MAX_DISK = 1L << 30;

  /** The smallest spool that is not 0 (off): a few segments of the smallest size. */
  public static final long MIN_MAX_DISK = 256L << 10;

  /** When spooled bytes are forced to disk before their chunks may be acked. */
  public enum Fsync {
    /** Once per ring batch (and when a segment is full), before the batch's chunks are released. */
    BATCH,
    /** After every record. */
    ALWAYS,
    /** Handed to the operating system only: survives a crash of the process, not of the host. */
    NEVER
  }

  /** Without a disk spill and without rate caps. */
  public BatchingOptions(
      Duration flushInterval,
      boolean dropWhenFull,
      int maxAttempts,
      Duration maxAge,
      int maxInFlight) {
    this(flushInterval, dropWhenFull, maxAttempts, maxAge, maxInFlight, 0, 0);
  }

  /** Without a disk spill. */
  public BatchingOptions(
      Duration flushInterval,
      boolean dropWhenFull,
      int maxAttempts,
      Duration maxAge,
      int maxInFlight,
      long maxRequestsPerSecond,
      long maxBytesPerSecond) {
    this(
        flushInterval,
        dropWhenFull,
        maxAttempts,
        maxAge,
        maxInFlight,
        maxRequestsPerSecond,
        maxBytesPerSecond,
        0,
        Fsync.BATCH);
  }

  /** The same options with a disk spill of at most {@code maxDisk} bytes. */
  public BatchingOptions withSpill(long maxDisk, Fsync fsync) {
    return new BatchingOptions(
        flushInterval,
        dropWhenFull,
        maxAttempts,
        maxAge,
        maxInFlight,
        maxRequestsPerSecond,
        maxBytesPerSecond,
        maxDisk,
        fsync);
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
    Optional<Long> maxDisk = o.size("max_disk", problems);
    if (maxDisk.isPresent() && maxDisk.get() != 0 && maxDisk.get() < MIN_MAX_DISK) {
      problems.error(
          o.locationOf("max_disk"),
          "'max_disk' must be 0 (no disk spill) or at least 256KiB, not " + maxDisk.get());
    }
    return new BatchingOptions(
        o.duration("flush_interval", problems).orElse(Duration.ofSeconds(1)),
        o.oneOf("when_full", List.of("block", "drop_newest"), problems)
            .orElse("block")
            .equals("drop_newest"),
        o.integer("max_attempts", 1, 1000, problems).orElse(10L).intValue(),
        o.duration("max_age", problems).orElse(Duration.ofHours(1)),
        o.integer("max_in_flight", 1, 64, problems).orElse(4L).intValue(),
        o.integer("max_requests_per_second", 0, 1_000_000, problems).orElse(0L),
        o.size("max_bytes_per_second", problems).orElse(0L),
        maxDisk.orElse(DEFAULT_MAX_DISK),
        Fsync.valueOf(
            o.oneOf("fsync", List.of("batch", "always", "never"), problems)
                .orElse("batch")
                .toUpperCase(Locale.ROOT)));
  }

  /** Bytes per spool segment: an eighth of {@code max_disk}, within 64 KiB .. 8 MiB. */
  long segmentBytes() {
    return Math.max(64L << 10, Math.min(8L << 20, maxDisk / 8));
  }

  /** The output's own pace, if it has one. */
  RequestRateCap ownCap() {
    return maxRequestsPerSecond > 0 || maxBytesPerSecond > 0
        ? new RequestRateCap(maxRequestsPerSecond, maxBytesPerSecond)
        : null;
  }
}
