package dev.firelensrouter.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the frames of one spool segment in order through a buffer, from a given position up to a
 * limit (the bytes the writer has handed to the operating system). Used to replay a segment and, at
 * start-up, to check one.
 */
final class SegmentReader implements AutoCloseable {
  /** The bytes at the reader's position are not a frame this build wrote. */
  static final class DamagedFrame extends IOException {
    private static final long serialVersionUID = 1L;

    DamagedFrame(String message) {
      super(message);
    }
  }

  private static final int BUFFER = 256 << 10;

  final SpoolSegment segment;
  private final FileChannel channel;
  private ByteBuffer buffer = ByteBuffer.allocate(BUFFER).flip();
  private long bufferStart;

  SegmentReader(SpoolSegment segment, Path path, long position) throws IOException {
    this.segment = segment;
    this.channel = FileChannel.open(path, StandardOpenOption.READ);
    this.bufferStart = position;
  }

  /** The file offset just past the last frame returned. */
  long position() {
    return bufferStart + buffer.position();
  }

  /**
   * The next frame if one ends at or before {@code limit}, else null.
   *
   * @throws DamagedFrame when the bytes at {@link #position} are not a valid frame
   */
  SpoolFrame next(long limit) throws IOException {
    long pos = position();
    if (pos + SpoolFrame.HEADER > limit) {
      return null;
    }
    fill(SpoolFrame.HEADER);
    int at = buffer.position();
    int length = buffer.getInt(at);
    int crc = buffer.getInt(at + 4);
    if (length < 0 || length > SpoolFrame.MAX_PAYLOAD) {
      throw new DamagedFrame("impossible frame length " + length + " at " + pos);
    }
    if (pos + SpoolFrame.HEADER + length > limit) {
      return null;
    }
    fill(SpoolFrame.HEADER + length);
    at = buffer.position();
    ByteBuffer payload = buffer.slice(at + SpoolFrame.HEADER, length);
    if (!SpoolFrame.checksumMatches(payload, crc)) {
      throw new DamagedFrame("checksum mismatch in the frame at " + pos);
    }
    SpoolFrame frame;
    try {
      frame = SpoolFrame.decode(payload);
    } catch (IllegalArgumentException e) {
      throw new DamagedFrame(e.getMessage() + " at " + pos);
    }
    buffer.position(at + SpoolFrame.HEADER + length);
    return frame;
  }

  /** Makes at least {@code n} bytes from the position readable, or fails if the file ends. */
  private void fill(int n) throws IOException {
    if (buffer.remaining() >= n) {
      return;
    }
    long from = position();
    if (buffer.capacity() < n) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(n, buffer.capacity() * 2));
      bigger.put(buffer);
      buffer = bigger;
    } else {
      buffer.compact();
    }
    bufferStart = from;
    while (buffer.position() < n) {
      int r = channel.read(buffer, bufferStart + buffer.position());
      if (r < 0) {
        break;
      }
    }
    buffer.flip();
    if (buffer.remaining() < n) {
      throw new DamagedFrame("the segment ends inside the frame at " + from);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
