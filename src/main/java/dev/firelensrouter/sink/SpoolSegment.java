package dev.firelensrouter.sink;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One segment file of a {@link Spool}: its size, how many of its frames are to be read back and how
 * many were, and how many entries taken from it (read back, or written while held in memory) are
 * not settled yet. It may be deleted once it is sealed, every queued frame was read and every such
 * entry was settled. Sizes and counts are guarded by the spool's lock; {@link #settled} is called
 * from any thread.
 */
final class SpoolSegment {
  final Path path;
  final SpoolDirectory directory;

  /** Written by an earlier process: every frame is replayed, resident ones too. */
  final boolean adopted;

  /** Bytes in the file (for the segment being written: including what is still buffered). */
  long size;

  /** Bytes written to the file (what a reader may read). */
  long flushedSize;

  long readPosition;
  int queued;
  int read;
  boolean sealed;
  private final AtomicInteger unsettled = new AtomicInteger();

  SpoolSegment(Path path, SpoolDirectory directory, boolean adopted) {
    this.path = path;
    this.directory = directory;
    this.adopted = adopted;
  }

  /** An entry taken from this segment (read back or written resident) is not settled yet. */
  void held() {
    unsettled.incrementAndGet();
  }

  /** An entry taken from this segment was delivered, dead-lettered or dropped. */
  void settled() {
    unsettled.decrementAndGet();
  }

  boolean allRead() {
    return read >= queued;
  }

  boolean allSettled() {
    return unsettled.get() == 0;
  }
}
