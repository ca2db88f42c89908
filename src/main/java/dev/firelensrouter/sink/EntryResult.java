package dev.firelensrouter.sink;

/** What a destination's API said about one entry of a batch. */
public sealed interface EntryResult {
  EntryResult DELIVERED = new Delivered();

  /** Accepted by the service. */
  record Delivered() implements EntryResult {}

  /** Worth another try; {@code throttled} slows the whole destination down. */
  record Retry(String reason, boolean throttled) implements EntryResult {}

  /** Never deliverable (rejected, too large, access denied...): dead-lettered with the reason. */
  record Fail(String reason) implements EntryResult {}
}
