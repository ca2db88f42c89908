package dev.firelensrouter.sink;

import dev.firelensrouter.event.ChunkTicket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One output's disk spill, {@code data_dir/spool/<output>/<instance>/}: segment files of {@link
 * SpoolFrame}s appended through a buffer, read back oldest first, each deleted once all its entries
 * are settled, within {@code max_disk}. Chunk tickets of appended records are released when their
 * bytes reach the operating system ({@code fsync: batch} and {@code always}: the disk). Folders
 * left by an earlier process are adopted at start-up by {@link SpoolRecovery} and replayed first.
 *
 * <p>Every method runs under this object's lock: appends on the router thread, reads and deletes on
 * the scheduler thread. {@link #diskBytes} may be read without it.
 */
final class Spool implements AutoCloseable {
  private static final int BUFFER = 256 << 10;

  /** A frame read back, and the segment to tell when its entry is settled. */
  record Spooled(SpoolFrame frame, SpoolSegment segment) {}

  private final Path root;
  private final String instance;
  private final long maxBytes;
  private final long segmentBytes;
  private final BatchingOptions.Fsync fsync;
  private final List<SpoolSegment> segments = new ArrayList<>();
  private final ArrayDeque<SpoolSegment> unread = new ArrayDeque<>();
  private final List<SpoolDirectory> adopted = new ArrayList<>();
  private final List<ChunkTicket> unflushed = new ArrayList<>();
  private final AtomicLong diskBytes = new AtomicLong();
  private final ByteBuffer writeBuffer = ByteBuffer.allocate(BUFFER);
  private SpoolDirectory own;
  private SpoolSegment writing;
  private FileChannel writeChannel;
  private SegmentReader reader;
  private long nextSegment;
  private long damagedBytes;
  private long lostRecords;
  private boolean closed;
  private volatile boolean broken;
  private volatile boolean dirty;

  /**
   * @param root {@code data_dir/spool/<output>}
   * @param instance this instance's folder name (sorts after the folders of earlier instances)
   */
  Spool(Path root, String instance, long maxBytes, long segmentBytes, BatchingOptions.Fsync fsync) {
    this.root = root;
    this.instance = instance;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.fsync = fsync;
  }

  /** Takes over the segments recovered from a folder no one holds; they are read first. */
  synchronized void adopt(SpoolDirectory directory, List<SpoolSegment> recovered) {
    adopted.add(directory);
    for (SpoolSegment s : recovered) {
      segments.add(s);
      unread.addLast(s);
      diskBytes.addAndGet(s.size);
      directory.segments++;
    }
  }

  /** Bytes of segment files on disk, buffered appends included. */
  long diskBytes() {
    return diskBytes.get();
  }

  /** Whether a frame of {@code bytes} fits within {@code max_disk} (one always fits when empty). */
  boolean hasRoom(long bytes) {
    long used = diskBytes.get();
    return !closed && !broken && maxBytes > 0 && (used == 0 || used + bytes <= maxBytes);
  }

  /**
   * Appends one frame. A queued frame is read back later; a resident one is counted unsettled in
   * the segment returned until its entry is settled. {@code ticket}, if given, is released once the
   * frame is flushed.
   */
  synchronized SpoolSegment append(SpoolFrame frame, ChunkTicket ticket) throws IOException {
    if (closed || broken) {
      throw new IOException("spool closed");
    }
    try {
      return appendUnchecked(frame, ticket);
    } catch (IOException | RuntimeException e) {
      broken = true;
      throw e;
    }
  }

  private SpoolSegment appendUnchecked(SpoolFrame frame, ChunkTicket ticket) throws IOException {
    int size = frame.encodedSize();
    if (writing != null && writing.size > 0 && writing.size + size > segmentBytes) {
      seal();
    }
    if (writing == null) {
      openSegment();
    }
    if (size > writeBuffer.remaining()) {
      writeOut();
    }
    if (size > writeBuffer.capacity()) {
      ByteBuffer one = ByteBuffer.allocate(size);
      frame.encode(one);
      writeFully(one.flip());
    } else {
      frame.encode(writeBuffer);
    }
    writing.size += size;
    diskBytes.addAndGet(size);
    if (frame.resident()) {
      writing.held();
    } else {
      writing.queued++;
    }
    if (ticket != null) {
      unflushed.add(ticket);
    }
    dirty = true;
    if (fsync == BatchingOptions.Fsync.ALWAYS) {
      flush();
    }
    return writing;
  }

  /**
   * Hands what was appended to the operating system (and to the disk unless {@code fsync: never}),
   * then releases the tickets of those records: their chunks may be acked.
   */
  synchronized void flush() throws IOException {
    if (broken) {
      throw new IOException("an earlier write to the spool failed");
    }
    try {
      flushUnchecked();
    } catch (IOException | RuntimeException e) {
      broken = true;
      throw e;
    }
  }

  private void flushUnchecked() throws IOException {
    if (writing != null && writeBuffer.position() > 0) {
      writeOut();
      if (fsync != BatchingOptions.Fsync.NEVER) {
        writeChannel.force(false);
      }
    }
    for (ChunkTicket t : unflushed) {
      t.release();
    }
    unflushed.clear();
    dirty = false;
  }

  /** Whether appends wait for a {@link #flush} (may be read without the lock). */
  boolean isDirty() {
    return dirty;
  }

  /**
   * Reads queued frames back, oldest first, up to about {@code maxBytes} of records and {@code
   * maxRecords}; each one read counts as unsettled in its segment. A damaged frame (a disk error)
   * ends its segment: the rest is skipped and counted in {@link #takeDamagedBytes}.
   */
  synchronized List<Spooled> read(long maxBytes, int maxRecords) throws IOException {
    List<Spooled> out = new ArrayList<>();
    long bytes = 0;
    while (out.size() < maxRecords && bytes < maxBytes && !closed) {
      SpoolSegment s = unread.peekFirst();
      if (s == null) {
        break;
      }
      if (s.allRead()) {
        if (s == writing) {
          break;
        }
        unread.pollFirst();
        continue;
      }
      boolean unwritten = s == writing && s.readPosition >= s.flushedSize;
      if (unwritten && !broken) {
        flush();
        unwritten = false;
      }
      SpoolFrame f = null;
      // unwritten: what waited in the write buffer of a failed spool never reached the file
      boolean damaged = unwritten;
      if (!damaged) {
        try {
          if (reader == null || reader.segment != s) {
            closeReader();
            reader = new SegmentReader(s, s.path, s.readPosition);
          }
          f = reader.next(s == writing ? s.flushedSize : s.size);
        } catch (IOException e) {
          // a damaged frame (a disk error), or the file cannot be read
          closeReader();
          damaged = true;
        }
      }
      if (f == null && !damaged) {
        if (s == writing) {
          break; // caught up with the writer
        }
        damaged = true; // a sealed segment ends before its last queued frame
      }
      if (damaged) {
        // What is left of the segment cannot be read: count it lost and go on.
        lostRecords += s.queued - s.read;
        damagedBytes += s.size - s.readPosition;
        s.readPosition = s.size;
        s.read = s.queued;
        closeReader();
        continue;
      }
      s.readPosition = reader.position();
      if (f.resident() && !s.adopted) {
        continue;
      }
      s.read++;
      s.held();
      out.add(new Spooled(f, s));
      bytes += f.encodedSize();
    }
    return out;
  }

  /**
   * Deletes every segment whose queued frames were all read and whose entries are all settled, the
   * one being written too (the next append opens a new one).
   *
   * @return how many were deleted
   */
  synchronized int deleteSettled() throws IOException {
    int deleted = 0;
    Iterator<SpoolSegment> it = segments.iterator();
    while (it.hasNext()) {
      SpoolSegment s = it.next();
      if (!s.allRead() || !s.allSettled()) {
        continue;
      }
      if (s == writing) {
        if (writeBuffer.position() > 0 || !unflushed.isEmpty()) {
          continue;
        }
        seal();
      }
      if (!s.sealed) {
        continue;
      }
      if (reader != null && reader.segment == s) {
        closeReader();
      }
      unread.remove(s);
      Files.deleteIfExists(s.path);
      it.remove();
      diskBytes.addAndGet(-s.size);
      s.directory.segments--;
      deleted++;
      if (s.directory != own && s.directory.segments == 0) {
        adopted.remove(s.directory);
        s.directory.release(true);
      }
    }
    return deleted;
  }

  /** Queued records found unreadable (a disk error) since the last call; they are lost. */
  synchronized long takeLostRecords() {
    long n = lostRecords;
    lostRecords = 0;
    return n;
  }

  /** Bytes skipped in segments found damaged while reading, since the last call. */
  synchronized long takeDamagedBytes() {
    long n = damagedBytes;
    damagedBytes = 0;
    return n;
  }

  /** A write failed: the spool takes nothing more (what it holds is still read back). */
  boolean isBroken() {
    return broken;
  }

  private void openSegment() throws IOException {
    if (own == null) {
      own = SpoolDirectory.create(root.resolve(instance));
    }
    Path path = own.path.resolve(String.format("%016d.seg", nextSegment++));
    writeChannel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    writing = new SpoolSegment(path, own, false);
    own.segments++;
    segments.add(writing);
    unread.addLast(writing);
  }

  /** Flushes and closes the segment being written; the next append opens a new one. */
  private void seal() throws IOException {
    flush();
    writeChannel.close();
    writeChannel = null;
    writing.sealed = true;
    writing = null;
  }

  private void writeOut() throws IOException {
    writeFully(writeBuffer.flip());
    writeBuffer.clear();
  }

  private void writeFully(ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      writing.flushedSize += writeChannel.write(b);
    }
  }

  private void closeReader() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }

  /**
   * Flushes and closes the files and lets the folders go. Segments not yet settled stay on disk for
   * the next start-up (entries of a partly settled segment are sent again then).
   */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (writing != null) {
        seal();
      } else {
        flush();
      }
      closeReader();
    } finally {
      closed = true;
      if (writeChannel != null) {
        writeChannel.close();
      }
      for (SpoolDirectory d : adopted) {
        d.release(false);
      }
      if (own != null) {
        own.release(own.segments == 0);
      }
    }
  }
}
