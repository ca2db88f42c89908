package dev.firelensrouter.sink;

import java.util.ArrayList;
import java.util.List;

/**
 * What one answered request means for each of its entries (after Flink's ResultHandler): which were
 * delivered, which go again, which are dead-lettered and why, and for the output as a whole whether
 * it was throttled, how far the retries' backoff may grow, and what to report.
 *
 * <p>Rules: throttling and an unavailable destination are not the entry's fault, so only {@code
 * max_age} bounds them; other retryable failures count toward {@code max_attempts}. A request is
 * throttled when at least {@link #THROTTLED_SHARE} of its entries were.
 */
final class BatchOutcome<E> {
  /** A request counts as throttled when at least this share of its entries were throttled. */
  static final double THROTTLED_SHARE = 0.1;

  /**
   * A throttled entry's backoff, or one waiting for an unavailable destination, grows for this many
   * attempts (50 ms doubling: 1.6 s), no more: the in-flight limit already slows the output down, a
   * chunk's ack must not wait past a client's timeout (it would send the chunk again), and a fixed
   * destination should be used again soon.
   */
  static final int SHORT_BACKOFF_STEPS = 6;

  record DeadLetter<E>(BufferedEntry<E> entry, String reason) {}

  final List<BufferedEntry<E>> delivered = new ArrayList<>();
  final List<BufferedEntry<E>> retry = new ArrayList<>();
  final List<DeadLetter<E>> deadLetters = new ArrayList<>();
  private final int size;
  private int throttledEntries;
  private String retryReason;
  private String failReason;
  private String unavailableReason;

  private BatchOutcome(int size) {
    this.size = size;
  }

  /**
   * @param results one per entry, or null when the whole request failed with {@code whole}
   */
  static <E> BatchOutcome<E> of(
      List<BufferedEntry<E>> entries,
      List<EntryResult> results,
      EntryResult whole,
      long nowNanos,
      BatchingOptions options) {
    BatchOutcome<E> o = new BatchOutcome<>(entries.size());
    long maxAge = options.maxAge().toNanos();
    for (int i = 0; i < entries.size(); i++) {
      BufferedEntry<E> e = entries.get(i);
      EntryResult r = whole != null ? whole : results.get(i);
      boolean tooOld = nowNanos - e.arrivalNanos > maxAge;
      if (r instanceof EntryResult.Delivered) {
        o.delivered.add(e);
      } else if (r instanceof EntryResult.Unavailable u) {
        e.attempts++;
        o.unavailableReason = u.reason();
        o.retryOrDeadLetter(e, !tooOld, "max_age: " + u.reason());
      } else if (r instanceof EntryResult.Retry rt) {
        e.attempts++;
        e.failures += rt.throttled() ? 0 : 1;
        o.throttledEntries += rt.throttled() ? 1 : 0;
        o.retryReason = rt.reason();
        boolean again = e.failures < options.maxAttempts() && !tooOld;
        o.retryOrDeadLetter(e, again, (tooOld ? "max_age: " : "max_attempts: ") + rt.reason());
      } else {
        String reason = ((EntryResult.Fail) r).reason();
        o.failReason = reason;
        o.deadLetters.add(new DeadLetter<>(e, reason));
      }
    }
    return o;
  }

  private void retryOrDeadLetter(BufferedEntry<E> e, boolean again, String giveUpReason) {
    if (again) {
      retry.add(e);
    } else {
      deadLetters.add(new DeadLetter<>(e, giveUpReason));
    }
  }

  /** The output should slow down (AIMD halving). */
  boolean throttled() {
    return throttledEntries > 0 && throttledEntries >= THROTTLED_SHARE * size;
  }

  /** Everything went through: the output may speed up and count as healthy. */
  boolean clean() {
    return retry.isEmpty() && deadLetters.isEmpty();
  }

  /** The attempt number the retries' backoff is computed for. */
  int backoffSteps() {
    int attempts = retry.get(0).attempts;
    return throttledEntries > 0 || unavailableReason != null
        ? Math.min(attempts, SHORT_BACKOFF_STEPS)
        : attempts;
  }

  /** What to show as the output's last error. */
  String trouble() {
    if (unavailableReason != null) {
      return unavailableReason;
    }
    if (failReason != null) {
      return failReason;
    }
    return retryReason != null ? retryReason : deadLetters.get(0).reason();
  }

  /** Why the output was throttled. */
  String throttleReason() {
    return retryReason;
  }

  /**
   * Metric labels stay few: the reason up to its first colon or parenthesis, so {@code
   * AccessDeniedException (status 400, request id ...)} counts as {@code AccessDeniedException}.
   */
  static String reasonLabel(String reason) {
    int end = reason.length();
    int colon = reason.indexOf(':');
    int paren = reason.indexOf(" (");
    if (colon >= 0) {
      end = colon;
    }
    if (paren >= 0) {
      end = Math.min(end, paren);
    }
    return reason.substring(0, end);
  }
}
