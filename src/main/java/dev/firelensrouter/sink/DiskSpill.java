package dev.firelensrouter.sink;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's side of an output's {@link Spool}: opens it at start-up (replaying what an earlier
 * process left), turns events into frames and frames back into entries through the output's {@link
 * EntryConverter}, and reports a failing disk once instead of per record. It holds no engine state:
 * {@link BatchingDestination} decides what goes where under its own lock.
 */
final class DiskSpill<E> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DiskSpill.class);

  /** A record read back: the entry (or why the converter refused it) and where it came from. */
  record Refilled<E>(
      SpoolFrame frame, SpoolSegment segment, EntryConverter.Converted<E> converted) {}

  private final String output;
  private final Spool spool;
  private final long maxDisk;
  private final EntryConverter<E> converter;
  private final OutputMetrics metrics;
  private boolean reportedFailure;

  private DiskSpill(
      String output,
      Spool spool,
      long maxDisk,
      EntryConverter<E> converter,
      OutputMetrics metrics) {
    this.output = output;
    this.spool = spool;
    this.maxDisk = maxDisk;
    this.converter = converter;
    this.metrics = metrics;
  }

  /**
   * Opens the spool of {@code context}'s output and adopts what earlier processes left.
   *
   * @return the spill and how many records it found to replay
   */
  static <E> Opened<E> open(
      DestinationContext context, BatchingOptions options, EntryConverter<E> converter)
      throws IOException {
    Path root = context.dataDir().resolve("spool").resolve(context.name());
    String instance =
        String.format(
            "%013d-%08x", context.clock().millis(), ThreadLocalRandom.current().nextInt());
    Spool spool =
        new Spool(root, instance, options.maxDisk(), options.segmentBytes(), options.fsync());
    SpoolRecovery.Found found = SpoolRecovery.recover(root, spool);
    OutputMetrics metrics = context.metrics();
    if (found.truncated() > 0) {
      metrics.spoolDamaged(found.truncated(), found.lostBytes());
      LOG.warn(
          "output {}: {} spool segment(s) ended in a torn or damaged frame; cut there, {} bytes"
              + " lost",
          context.name(),
          found.truncated(),
          found.lostBytes());
    }
    if (found.records() > 0) {
      LOG.info(
          "output {}: {} record(s) left in the spool by an earlier run are sent again",
          context.name(),
          found.records());
    }
    return new Opened<>(
        new DiskSpill<>(context.name(), spool, options.maxDisk(), converter, metrics),
        found.records());
  }

  record Opened<E>(DiskSpill<E> spill, long recovered) {}

  /** Whether the spool takes this event now (within {@code max_disk}, and working). */
  boolean hasRoom(String tag, Event event) {
    return spool.hasRoom(SpoolFrame.estimate(tag, event));
  }

  long diskBytes() {
    return spool.diskBytes();
  }

  long maxDisk() {
    return maxDisk;
  }

  /** Appends an event to be read back later; its ticket is released once it is flushed. */
  boolean append(String tag, Event event, long receivedMillis, ChunkTicket ticket) {
    try {
      spool.append(new SpoolFrame(false, receivedMillis, tag, event), ticket);
      return true;
    } catch (IOException | RuntimeException e) {
      failed("cannot write to the spool", e);
      return false;
    }
  }

  /**
   * What {@link #persist} wrote: each entry's segment, in order (fewer than given when the disk is
   * full or failing), and whether it reached the operating system (only then may chunks be acked).
   */
  record Persisted(List<SpoolSegment> segments, boolean flushed) {}

  /**
   * Writes entries that stay in memory and are sent from there, so that their chunks can be acked
   * and a crash does not lose them.
   */
  Persisted persist(List<BufferedEntry<E>> entries, List<Long> receivedMillis) {
    List<SpoolSegment> segments = new ArrayList<>();
    try {
      for (int i = 0; i < entries.size(); i++) {
        BufferedEntry<E> e = entries.get(i);
        if (!spool.hasRoom(SpoolFrame.estimate(e.tag, e.event))) {
          break;
        }
        segments.add(
            spool.append(new SpoolFrame(true, receivedMillis.get(i), e.tag, e.event), null));
      }
      spool.flush();
      return new Persisted(segments, true);
    } catch (IOException | RuntimeException e) {
      failed("cannot write to the spool", e);
      return new Persisted(segments, false);
    }
  }

  /** Hands what was appended to the operating system and releases the waiting tickets. */
  void flush() {
    if (!spool.isDirty()) {
      return;
    }
    try {
      spool.flush();
    } catch (IOException | RuntimeException e) {
      failed("cannot flush the spool (the chunks of its records wait)", e);
    }
  }

  /** Reads back and converts up to about {@code maxBytes} of records. */
  List<Refilled<E>> read(long maxBytes, int maxRecords) {
    List<Spool.Spooled> read;
    try {
      read = spool.read(maxBytes, maxRecords);
    } catch (IOException | RuntimeException e) {
      failed("cannot read the spool", e);
      return List.of();
    }
    List<Refilled<E>> out = new ArrayList<>(read.size());
    for (Spool.Spooled s : read) {
      EntryConverter.Converted<E> c;
      try {
        c = converter.convert(s.frame().tag(), s.frame().event());
      } catch (RuntimeException e) {
        c = EntryConverter.Converted.refused("convert_failed: " + e.getMessage());
      }
      out.add(new Refilled<>(s.frame(), s.segment(), c));
    }
    return out;
  }

  /** Queued records found unreadable since the last call (counted here, dropped by the caller). */
  long takeLost() {
    long bytes = spool.takeDamagedBytes();
    long lost = spool.takeLostRecords();
    if (bytes > 0 || lost > 0) {
      metrics.spoolDamaged(1, bytes);
      LOG.warn(
          "output {}: a spool segment could not be read back: {} record(s), {} bytes lost",
          output,
          lost,
          bytes);
    }
    return lost;
  }

  /** Deletes settled segments; true when some disk space came free. */
  boolean deleteSettled() {
    try {
      return spool.deleteSettled() > 0;
    } catch (IOException | RuntimeException e) {
      failed("cannot delete a settled spool segment", e);
      return false;
    }
  }

  private synchronized void failed(String what, Exception e) {
    if (!reportedFailure) {
      reportedFailure = true;
      LOG.error(
          "output {}: {}: {}; until restart the output keeps to its memory share and when_full",
          output,
          what,
          e.toString());
    }
  }

  @Override
  public void close() {
    try {
      spool.close();
    } catch (IOException | RuntimeException e) {
      failed("cannot close the spool", e);
    }
  }
}
