package dev.firelensrouter.sink;

import dev.firelensrouter.event.Event;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's way to the dead-letter file: writes the record and moves it in the ledger from where
 * it was (just received, buffered, or in flight) to {@code dead_lettered}. A write that fails (a
 * full disk) must not wedge the output nor reach the router: the record is counted {@code
 * dropped{reason="dead_letter_failed"}} instead, and the failure is logged once a minute at most.
 */
final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  private static final long LOG_EVERY_NANOS = 60_000_000_000L;
  static final String FAILED = "dead_letter_failed";

  private final String output;
  private final DeadLetterFile file;
  private final OutputMetrics metrics;
  private final LongSupplier nanos;
  private long lastLogNanos;
  private boolean logged;
  private long failedSinceLog;

  DeadLetters(String output, DeadLetterFile file, OutputMetrics metrics, LongSupplier nanos) {
    this.output = output;
    this.file = file;
    this.metrics = metrics;
    this.nanos = nanos;
  }

  /** A record the converter refused on arrival ({@code counted}: already counted as buffered). */
  void refused(String tag, Event event, String reason, boolean counted) {
    boolean written = write(tag, event, reason);
    String label = written ? BatchOutcome.reasonLabel(reason) : FAILED;
    if (counted) {
      if (written) {
        metrics.bufferedDeadLettered(label, 1);
      } else {
        metrics.bufferedDropped(label, 1);
      }
    } else if (written) {
      metrics.receivedDeadLettered(label, 1);
    } else {
      metrics.receivedDropped(label, 1);
    }
  }

  /** A buffered record (read back from the spool) that can never be delivered. */
  void buffered(String tag, Event event, String reason) {
    if (write(tag, event, reason)) {
      metrics.bufferedDeadLettered(BatchOutcome.reasonLabel(reason), 1);
    } else {
      metrics.bufferedDropped(FAILED, 1);
    }
  }

  /** A record of an answered request that can never be delivered. */
  void answered(String tag, Event event, String reason) {
    if (write(tag, event, reason)) {
      metrics.inFlightDeadLettered(BatchOutcome.reasonLabel(reason), 1);
    } else {
      metrics.inFlightDropped(FAILED, 1);
    }
  }

  private boolean write(String tag, Event event, String reason) {
    try {
      file.write(tag, event, reason);
      return true;
    } catch (RuntimeException e) {
      failed(reason, e);
      return false;
    }
  }

  private synchronized void failed(String reason, RuntimeException e) {
    failedSinceLog++;
    long now = nanos.getAsLong();
    if (logged && now - lastLogNanos < LOG_EVERY_NANOS) {
      return;
    }
    LOG.error(
        "output {}: cannot write to the dead-letter file {} ({}); {} record(s) ({}) counted as"
            + " dropped, reason {}",
        output,
        file.path(),
        e.toString(),
        failedSinceLog,
        reason,
        FAILED);
    logged = true;
    lastLogNanos = now;
    failedSinceLog = 0;
  }
}
