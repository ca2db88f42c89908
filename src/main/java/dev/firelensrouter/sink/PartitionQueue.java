package dev.firelensrouter.sink;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The entries of one partition (a CloudWatch stream, a Firehose delivery stream) waiting to be
 * sent: new ones in arrival order, and failed ones waiting for their backoff, which go first once
 * due without holding back the new ones meanwhile. Each partition has its own AIMD in-flight limit,
 * so a throttled stream slows down alone. Guarded by the engine's lock.
 */
final class PartitionQueue<E> {
  final String key;
  final ThrottleAwareRateLimiter limiter;
  private final ArrayDeque<BufferedEntry<E>> fresh = new ArrayDeque<>();
  private final ArrayDeque<BufferedEntry<E>> retries = new ArrayDeque<>();
  private long freshBytes;
  private long earliestRetryNanos = Long.MAX_VALUE;
  int inFlight;

  PartitionQueue(String key, int maxInFlight) {
    this.key = key;
    this.limiter = new ThrottleAwareRateLimiter(maxInFlight);
  }

  void add(BufferedEntry<E> e) {
    fresh.addLast(e);
    freshBytes += e.size;
  }

  void addRetry(BufferedEntry<E> e) {
    retries.addLast(e);
    earliestRetryNanos = Math.min(earliestRetryNanos, e.notBeforeNanos);
  }

  /** No retry waits past {@code latest} (the drain began and the grace period is short). */
  void capRetries(long latest) {
    for (BufferedEntry<E> e : retries) {
      e.notBeforeNanos = Math.min(e.notBeforeNanos, latest);
    }
    earliestRetryNanos = Math.min(earliestRetryNanos, latest);
  }

  boolean isEmpty() {
    return fresh.isEmpty() && retries.isEmpty();
  }

  /** Nothing held, nothing in flight, and no throttling to remember: the queue may be dropped. */
  boolean isIdle() {
    return isEmpty() && inFlight == 0 && !limiter.isThrottled();
  }

  boolean isFull(int maxCount, long maxBytes) {
    return fresh.size() >= maxCount || freshBytes >= maxBytes;
  }

  /**
   * At least half a batch by count or bytes. Such a batch goes while other requests are in flight:
   * holding it for the linger only made clients that wait for their acks (each connection with one
   * request out) wait, and sent one request at a time. Below half it keeps filling, so a fleet of
   * routers makes at most about twice the fewest possible calls against the account's quotas.
   */
  boolean isHalfFull(int maxCount, long maxBytes) {
    return 2L * fresh.size() >= maxCount || 2 * freshBytes >= maxBytes;
  }

  /**
   * Whether a request should go now: a retry whose backoff passed, half a batch or more, the oldest
   * new entry older than the linger, or anything at all when {@code force} (the ring went quiet) or
   * {@code draining} (new entries go at once; retries still wait for their backoff, which the
   * engine keeps short while draining, so a dead endpoint is not hammered in a loop).
   */
  boolean isDue(
      long now, long lingerNanos, boolean force, boolean draining, int maxCount, long maxBytes) {
    if (earliestRetryNanos <= now) {
      return true;
    }
    if (draining) {
      return !fresh.isEmpty();
    }
    if (fresh.isEmpty()) {
      return false;
    }
    return force
        || isHalfFull(maxCount, maxBytes)
        || now - fresh.peekFirst().arrivalNanos >= lingerNanos;
  }

  /**
   * Takes the next batch: due retries first, then new entries in order, within the count and byte
   * limits and what {@link BatchSender#select} chooses; always at least one entry when any is due.
   */
  List<BufferedEntry<E>> take(long now, boolean draining, BatchSender<E> sender) {
    int maxCount = sender.maxBatchCount();
    long maxBytes = sender.maxBatchBytes();
    List<BufferedEntry<E>> candidates = new ArrayList<>();
    long bytes = 0;
    int scannedRetries = 0;
    for (BufferedEntry<E> e : retries) {
      if (candidates.size() >= maxCount || (!candidates.isEmpty() && bytes + e.size > maxBytes)) {
        break;
      }
      scannedRetries++;
      if (e.notBeforeNanos <= now) {
        candidates.add(e);
        bytes += e.size;
      }
    }
    int fromRetries = candidates.size();
    for (BufferedEntry<E> e : fresh) {
      if (candidates.size() >= maxCount || (!candidates.isEmpty() && bytes + e.size > maxBytes)) {
        break;
      }
      candidates.add(e);
      bytes += e.size;
    }
    if (candidates.isEmpty()) {
      return candidates;
    }
    List<E> entries = new ArrayList<>(candidates.size());
    for (BufferedEntry<E> e : candidates) {
      entries.add(e.entry);
    }
    BitSet chosen = sender.select(entries);
    if (chosen.isEmpty()) {
      chosen.set(0);
    }
    List<BufferedEntry<E>> batch = new ArrayList<>(chosen.cardinality());
    for (int i = 0; i < fromRetries; i++) {
      if (chosen.get(i)) {
        batch.add(candidates.get(i));
      }
    }
    if (fromRetries > 0) {
      removeTakenRetries(scannedRetries, candidates, fromRetries, chosen);
    }
    List<BufferedEntry<E>> leftFresh = new ArrayList<>();
    for (int i = fromRetries; i < candidates.size(); i++) {
      BufferedEntry<E> e = candidates.get(i);
      fresh.pollFirst();
      freshBytes -= e.size;
      if (chosen.get(i)) {
        batch.add(e);
      } else {
        leftFresh.add(e);
      }
    }
    // New entries left out keep their place at the front, in order.
    for (int i = leftFresh.size() - 1; i >= 0; i--) {
      fresh.addFirst(leftFresh.get(i));
      freshBytes += leftFresh.get(i).size;
    }
    return batch;
  }

  /**
   * Takes the chosen retries out of the first {@code scanned} waiting ones in one pass (not one
   * search each: a batch may hold 10,000), keeping the others in order.
   */
  private void removeTakenRetries(
      int scanned, List<BufferedEntry<E>> candidates, int fromRetries, BitSet chosen) {
    List<BufferedEntry<E>> kept = new ArrayList<>();
    int next = 0;
    for (int i = 0; i < scanned; i++) {
      BufferedEntry<E> e = retries.pollFirst();
      if (next < fromRetries && candidates.get(next) == e) {
        if (!chosen.get(next)) {
          kept.add(e);
        }
        next++;
      } else {
        kept.add(e);
      }
    }
    for (int i = kept.size() - 1; i >= 0; i--) {
      retries.addFirst(kept.get(i));
    }
    earliestRetryNanos = Long.MAX_VALUE;
    for (BufferedEntry<E> e : retries) {
      earliestRetryNanos = Math.min(earliestRetryNanos, e.notBeforeNanos);
    }
  }

  /** Every entry waiting here (new and retries), for a look that changes nothing. */
  void forEachWaiting(java.util.function.Consumer<BufferedEntry<E>> action) {
    fresh.forEach(action);
    retries.forEach(action);
  }
}
