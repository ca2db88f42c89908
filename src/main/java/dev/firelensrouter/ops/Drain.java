package dev.firelensrouter.ops;

import dev.firelensrouter.ingest.ForwardServer;
import dev.firelensrouter.pipeline.ChunkRing;
import dev.firelensrouter.pipeline.NettyLoops;
import dev.firelensrouter.sink.DrainReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shutdown sequence. Inputs first get most of the grace period, because the app containers and
 * FireLens stop first and may still be flushing to us; a reserve is kept for the outputs.
 */
final class Drain {
  private static final Logger LOG = LoggerFactory.getLogger(Drain.class);

  /** Connections must stay at zero this long before ingest counts as finished. */
  private static final Duration QUIET = Duration.ofSeconds(1);

  private final Clock clock;
  private final ForwardServer forward;
  private final ChunkRing ring;
  private final Outputs outputs;

  Drain(Clock clock, ForwardServer forward, ChunkRing ring, Outputs outputs, NettyLoops loops) {
    this.clock = clock;
    this.forward = forward;
    this.ring = ring;
    this.outputs = outputs;
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
    boolean emptied = ring.drain(Duration.between(clock.instant(), deadline).plusMillis(1));
    long ringLeft = emptied ? 0 : ring.backlog();
    List<DrainReport> reports = outputs.drainAll(deadline);
    ShutdownReport report =
        new ShutdownReport(reports, ringLeft, Duration.between(start, clock.instant()).toMillis());
    if (report.isClean()) {
      LOG.info("{}", report.summary());
    } else {
      LOG.error("{}", report.summary());
    }
    return report;
  }

  private void waitForClients(Instant inputDeadline) {
    Instant quietSince = null;
    while (clock.instant().isBefore(inputDeadline)) {
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
