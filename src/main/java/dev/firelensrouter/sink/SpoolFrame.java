package dev.firelensrouter.sink;

import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.Utf8;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * One record in a spool segment, framed as {@code [length u32][CRC32C of payload u32][payload]}.
 * The payload holds what the engine needs to rebuild the entry through its {@link EntryConverter}:
 * the tag, the event (time, record msgpack bytes, Fluent Bit metadata) and when the router received
 * it (so {@code max_age} and the latency metric count from receipt, not from the re-read).
 *
 * @param resident the record is also held in memory and sent from there: it is written only so that
 *     its chunk can be acked, and a later process replays it if this one dies first
 */
record SpoolFrame(boolean resident, long receivedMillis, String tag, Event event) {
  static final int HEADER = 8;

  /** Larger frames are taken for garbage (the largest Forward frame is far smaller). */
  static final int MAX_PAYLOAD = 256 << 20;

  private static final byte VERSION = 1;

  /** About the bytes a frame of this event takes (at most a few more), without encoding the tag. */
  static long estimate(String tag, Event event) {
    byte[] meta = event.metadata();
    return HEADER
        + 34
        + 3L * tag.length()
        + event.recordLength()
        + (meta == null ? 0 : meta.length);
  }

  /** Bytes this frame takes on disk, header included. */
  int encodedSize() {
    byte[] meta = event.metadata();
    return HEADER
        + 1
        + 1
        + 8
        + 8
        + 4
        + 4
        + Utf8.encodedLength(tag)
        + 4
        + event.recordLength()
        + 4
        + (meta == null ? 0 : meta.length);
  }

  /** Writes header and payload at the buffer's position; it must have {@link #encodedSize} left. */
  void encode(ByteBuffer out) {
    int start = out.position();
    out.position(start + HEADER);
    out.put(VERSION);
    out.put((byte) (resident ? 1 : 0));
    out.putLong(receivedMillis);
    out.putLong(event.seconds());
    out.putInt(event.nanos());
    byte[] t = tag.getBytes(StandardCharsets.UTF_8);
    out.putInt(t.length);
    out.put(t);
    out.putInt(event.recordLength());
    out.put(event.recordBuffer(), event.recordOffset(), event.recordLength());
    byte[] meta = event.metadata();
    out.putInt(meta == null ? -1 : meta.length);
    if (meta != null) {
      out.put(meta);
    }
    int end = out.position();
    int length = end - start - HEADER;
    CRC32C crc = new CRC32C();
    crc.update(out.duplicate().position(start + HEADER).limit(end));
    out.putInt(start, length);
    out.putInt(start + 4, (int) crc.getValue());
  }

  /** Whether {@code payload} (exactly one frame's payload) matches the checksum of its header. */
  static boolean checksumMatches(ByteBuffer payload, int expected) {
    CRC32C crc = new CRC32C();
    crc.update(payload.duplicate());
    return (int) crc.getValue() == expected;
  }

  /**
   * Decodes one payload whose checksum matched.
   *
   * @throws IllegalArgumentException when the payload is not one this build wrote
   */
  static SpoolFrame decode(ByteBuffer payload) {
    try {
      byte version = payload.get();
      if (version != VERSION) {
        throw new IllegalArgumentException("unknown spool frame version " + version);
      }
      boolean resident = payload.get() == 1;
      long received = payload.getLong();
      long seconds = payload.getLong();
      int nanos = payload.getInt();
      String tag = new String(bytes(payload, payload.getInt()), StandardCharsets.UTF_8);
      byte[] record = bytes(payload, payload.getInt());
      int metaLength = payload.getInt();
      byte[] meta = metaLength < 0 ? null : bytes(payload, metaLength);
      return new SpoolFrame(
          resident, received, tag, new Event(seconds, nanos, record, 0, record.length, meta));
    } catch (BufferUnderflowException | NegativeArraySizeException e) {
      throw new IllegalArgumentException("truncated spool frame", e);
    }
  }

  private static byte[] bytes(ByteBuffer in, int n) {
    if (n < 0 || n > in.remaining()) {
      throw new IllegalArgumentException("bad length " + n + " in spool frame");
    }
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }
}
