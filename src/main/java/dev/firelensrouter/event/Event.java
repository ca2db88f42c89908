package dev.firelensrouter.event;

import java.util.Arrays;

/**
 * One log event as it came off the wire: its time and its record, kept as the msgpack bytes of a
 * map (a view into a buffer shared by the events of one frame). Nothing is decoded until a rule or
 * an output asks; a transform that changes the record makes a new {@code Event}.
 */
public final class Event {
  private final long seconds;
  private final int nanos;
  private final byte[] buffer;
  private final int offset;
  private final int length;
  private final byte[] metadata;

  /**
   * @param seconds unsigned epoch seconds as sent (EventTime seconds are decoded as unsigned)
   * @param nanos nanoseconds within the second, 0..999,999,999
   * @param buffer the bytes holding the record's msgpack value at {@code offset}
   * @param metadata the Fluent Bit v2 metadata map as msgpack bytes, or {@code null} when absent
   */
  public Event(long seconds, int nanos, byte[] buffer, int offset, int length, byte[] metadata) {
    this.seconds = seconds;
    this.nanos = nanos;
    this.buffer = buffer;
    this.offset = offset;
    this.length = length;
    this.metadata = metadata;
  }

  public Event(long seconds, int nanos, byte[] record) {
    this(seconds, nanos, record, 0, record.length, null);
  }

  public long seconds() {
    return seconds;
  }

  public int nanos() {
    return nanos;
  }

  public long epochMillis() {
    return seconds * 1000L + nanos / 1_000_000;
  }

  /**
   * The buffer that holds the record; read {@link #recordLength()} bytes from {@link
   * #recordOffset()}.
   */
  public byte[] recordBuffer() {
    return buffer;
  }

  public int recordOffset() {
    return offset;
  }

  public int recordLength() {
    return length;
  }

  /** A copy of the record's msgpack bytes. */
  public byte[] recordBytes() {
    return Arrays.copyOfRange(buffer, offset, offset + length);
  }

  /** The Fluent Bit metadata map (msgpack), or {@code null}. */
  public byte[] metadata() {
    return metadata;
  }

  /** The same time and metadata with another record. */
  public Event withRecord(byte[] record) {
    return new Event(seconds, nanos, record, 0, record.length, metadata);
  }
}
