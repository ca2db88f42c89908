package dev.firelensrouter.sink;

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
   * The entries of {@code batch} that can go in one request from the front, in order: usually all
   * of them up to the limits; CloudWatch also stops where the time span would reach 24 h.
   */
  default int fits(List<E> batch) {
    return batch.size();
  }

  /** What a whole failed request means for each of its entries (by default: try again). */
  default EntryResult failure(Throwable error) {
    return new EntryResult.Retry(String.valueOf(error), false);
  }

  /** Sends one batch; a failed future means the whole request failed (retried entry by entry). */
  CompletableFuture<List<EntryResult>> send(String partition, List<E> batch);
}
