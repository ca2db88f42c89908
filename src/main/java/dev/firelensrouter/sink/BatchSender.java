package dev.firelensrouter.sink;

import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a concrete destination tells the engine: how big an entry is, the API's batch limits, and
 * how to send one batch of a partition, answering one {@link EntryResult} per entry in order.
 *
 * @param <E> the destination's entry (for example a CloudWatch log event)
 */
public interface BatchSender<E> {
  /** Bytes the entry counts for against the batch limit. */
  int size(E entry);

  int maxBatchCount();

  long maxBatchBytes();

  /**
   * Which of the candidates (already within the count and byte limits, oldest first) go in one
   * request; the others stay queued for a later one. Usually all; Firehose stops at 500 records
   * when several entries share one, CloudWatch leaves out the events that would make the batch span
   * 24 hours. Never empty when there are candidates.
   */
  default BitSet select(List<E> candidates) {
    BitSet all = new BitSet(candidates.size());
    all.set(0, candidates.size());
    return all;
  }

  /** What a whole failed request means for each of its entries (by default: try again). */
  default EntryResult failure(Throwable error) {
    return new EntryResult.Retry(String.valueOf(error), false);
  }

  /** Sends one batch; a failed future means the whole request failed (retried entry by entry). */
  CompletableFuture<List<EntryResult>> send(String partition, List<E> batch);
}
