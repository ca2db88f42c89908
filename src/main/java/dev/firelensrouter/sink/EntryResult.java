package dev.firelensrouter.sink;

/** What a destination's API said about one entry of a batch. */
public sealed interface EntryResult {
  EntryResult DELIVERED = new Delivered();

  /** Accepted by the service. */
  record Delivered() implements EntryResult {}

  /** Worth another try; {@code throttled} slows the whole destination down. */
  record Retry(String reason, boolean throttled) implements EntryResult {}

  /**
   * The destination itself cannot take anything now (access denied, missing group or stream with no
   * auto-create, bad credentials, endpoint down): nothing is wrong with the entry, so it waits and
   * retries, bounded by {@code max_age} only, while the output shows as failing.
   */
  record Unavailable(String reason) implements EntryResult {}

  /** Never deliverable (rejected, too large, invalid): dead-lettered with the reason. */
  record Fail(String reason) implements EntryResult {}
}
