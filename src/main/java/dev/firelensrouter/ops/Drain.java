package dev.firelensrouter.ops;

import dev.firelensrouter.ingest.ForwardServer;
import dev.firelensrouter.pipeline.ChunkRing;
import dev.firelensrouter.sink.DrainReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The shutdown sequence. Inputs first get most of the grace period, because the app containers and
 * FireLens stop first and may still be flushing to us; a reserve is kept for the outputs.
 */
final class Drain {
  private static final Logger LOG = LoggerFactory.getLogger(Drain.class);

  /** Connections must stay at zero this long before ingest counts as finished. */
  private static final Duration QUIET = Duration.ofSeconds(1);

  /** After a second signal, the outputs get this much more time, then the residue is reported. */
  static final Duration HURRIED_FLUSH = Duration.ofSeconds(1);

  private final Clock clock;
  private final ForwardServer forward;
  private final ChunkRing ring;
  private final Outputs outputs;
  private final java.util.function.Supplier<Instant> hurriedAt;

  /**
   * @param hurriedAt when a second stop signal came (null while none has)
   */
  Drain(
      Clock clock,
      ForwardServer forward,
      ChunkRing ring,
      Outputs outputs,
      java.util.function.Supplier<Instant> hurriedAt) {
    this.clock = clock;
    this.forward = forward;
    this.ring = ring;
    this.outputs = outputs;
    this.hurriedAt = hurriedAt;
  }

  /** The deadline, brought forward by a second signal. */
  private Instant deadline(Instant planned) {
    Instant hurried = hurriedAt.get();
    if (hurried == null) {
      return planned;
    }
    Instant cut = hurried.plus(HURRIED_FLUSH);
    return cut.isBefore(planned) ? cut : planned;
  }

  /** The part of {@code grace} kept for the outputs: a third, between 1 and 10 seconds. */
  static Duration flushReserve(Duration grace) {
    long third = grace.toMillis() / 3;
    return Duration.ofMillis(Math.max(Math.min(third, 10_000), Math.min(1_000, grace.toMillis())));
  }

  ShutdownReport run(Duration grace) {
    Instant start = clock.instant();
    Instant deadline = start.plus(grace);
    Instant inputDeadline = deadline.minus(flushReserve(grace));
    LOG.info(
        "draining: reading until the clients close (at most until {}), then flushing until {}",
        inputDeadline,
        deadline);
    waitForClients(inputDeadline);
    int open = forward.openConnections();
    forward.close();
    if (open > 0) {
      LOG.warn(
          "input deadline passed with {} connections still open; closed them (their unacked chunks will be resent by the clients)",
          open);
    }
    boolean emptied =
        ring.drain(Duration.between(clock.instant(), deadline(deadline)).plusMillis(1));
    long ringLeft = emptied ? 0 : ring.backlog();
    List<DrainReport> reports =
        outputs.drainAll(
            deadline(deadline), () -> deadline(deadline), () -> hurriedAt.get() != null);
    if (hurriedAt.get() != null) {
      reports = reports.stream().map(Drain::cutShort).toList();
    }
    ShutdownReport report =
        new ShutdownReport(reports, ringLeft, Duration.between(start, clock.instant()).toMillis());
    LOG.atLevel(report.isClean() ? Level.INFO : Level.ERROR)
        .addKeyValue("records_left", report.undelivered())
        .log(report.summary());
    return report;
  }

  private static DrainReport cutShort(DrainReport r) {
    if (r.undelivered() == 0 || r.reason().startsWith("cut short")) {
      return r;
    }
    return new DrainReport(
        r.output(), r.delivered(), r.undelivered(), "cut short by a second signal; " + r.reason());
  }

  private void waitForClients(Instant inputDeadline) {
    Instant quietSince = null;
    while (clock.instant().isBefore(inputDeadline) && hurriedAt.get() == null) {
      if (forward.openConnections() == 0) {
        if (quietSince == null) {
          quietSince = clock.instant();
        } else if (!clock.instant().isBefore(quietSince.plus(QUIET))) {
          return;
        }
      } else {
        quietSince = null;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        // a second signal: stop waiting for the clients
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
