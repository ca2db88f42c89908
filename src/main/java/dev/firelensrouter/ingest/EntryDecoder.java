package dev.firelensrouter.ingest;

import dev.firelensrouter.event.Event;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageIntegerOverflowException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Turns Forward entries ({@code [time, record]} or {@code [[time, {metadata}], record]}) into
 * events that point into the frame's buffer. Bad entries are skipped and counted; Fluent Bit group
 * markers are skipped and counted. One instance per connection: it keeps the last time decoded in
 * fields so the hot path allocates only the {@link Event}.
 */
final class EntryDecoder {
  /** Fluent Bit group start / end markers use these EventTime seconds. */
  static final long GROUP_START = 0xFFFFFFFFL;

  static final long GROUP_END = 0xFFFFFFFEL;

  private long seconds;
  private int nanos;
  int invalid;
  int groupMarkers;

  void resetCounts() {
    invalid = 0;
    groupMarkers = 0;
  }

  long seconds() {
    return seconds;
  }

  int nanos() {
    return nanos;
  }

  /**
   * Reads one entry from {@code u}, whose read position {@code 0} is {@code base} in {@code buf},
   * and adds its event to {@code out} when it is a valid log event. Always consumes exactly one
   * value.
   */
  void readEntry(MessageUnpacker u, byte[] buf, int base, List<Event> out) throws IOException {
    if (u.getNextFormat().getValueType() != ValueType.ARRAY) {
      u.skipValue();
      invalid++;
      return;
    }
    int n = u.unpackArrayHeader();
    if (n != 2) {
      u.skipValue(n);
      invalid++;
      return;
    }
    boolean timeOk;
    boolean metadataForm = false;
    byte[] metadata = null;
    if (u.getNextFormat().getValueType() == ValueType.ARRAY) {
      metadataForm = true;
      int m = u.unpackArrayHeader();
      if (m == 0) {
        timeOk = false;
      } else {
        timeOk = readTime(u, buf, base);
        if (m >= 2) {
          if (u.getNextFormat().getValueType() == ValueType.MAP) {
            int start = base + (int) u.getTotalReadBytes();
            u.skipValue();
            int end = base + (int) u.getTotalReadBytes();
            if ((buf[start] & 0xff) != 0x80) {
              metadata = Arrays.copyOfRange(buf, start, end);
            }
          } else {
            u.skipValue();
            timeOk = false;
          }
          u.skipValue(m - 2);
        }
      }
    } else {
      timeOk = readTime(u, buf, base);
    }
    if (u.getNextFormat().getValueType() != ValueType.MAP) {
      u.skipValue();
      invalid++;
      return;
    }
    int start = base + (int) u.getTotalReadBytes();
    u.skipValue();
    int end = base + (int) u.getTotalReadBytes();
    if (!timeOk) {
      invalid++;
    } else if (metadataForm && nanos == 0 && (seconds == GROUP_START || seconds == GROUP_END)) {
      groupMarkers++;
    } else {
      out.add(new Event(seconds, nanos, buf, start, end - start, metadata));
    }
  }

  /**
   * Reads a time value (any int width, float, EventTime ext 0 as fixext8 or ext8, msgpack Timestamp
   * ext -1) into {@link #seconds()} / {@link #nanos()}. Consumes exactly one value; false when it
   * is not a usable time.
   */
  boolean readTime(MessageUnpacker u, byte[] buf, int base) throws IOException {
    MessageFormat f = u.getNextFormat();
    switch (f.getValueType()) {
      case INTEGER -> {
        long v;
        try {
          v = u.unpackLong();
        } catch (MessageIntegerOverflowException e) {
          return false;
        }
        if (v < 0) {
          return false;
        }
        seconds = v;
        nanos = 0;
        return true;
      }
      case FLOAT -> {
        double d = u.unpackDouble();
        if (!(d >= 0) || d >= 0x1p62) {
          return false;
        }
        long s = (long) Math.floor(d);
        seconds = s;
        nanos = (int) Math.min(999_999_999L, Math.round((d - s) * 1e9));
        return true;
      }
      case EXTENSION -> {
        return readExtTime(u, buf, base + (int) u.getTotalReadBytes());
      }
      default -> {
        u.skipValue();
        return false;
      }
    }
  }

  private boolean readExtTime(MessageUnpacker u, byte[] buf, int p) throws IOException {
    int b0 = buf[p] & 0xff;
    if (b0 == 0xd7 && buf[p + 1] == 0) {
      return eventTime(u, buf, p + 2);
    }
    if (b0 == 0xc7 && buf[p + 1] == 8 && buf[p + 2] == 0) {
      return eventTime(u, buf, p + 3);
    }
    ExtensionTypeHeader h = u.unpackExtensionTypeHeader();
    if (h.getType() == -1) {
      Instant t = u.unpackTimestamp(h);
      if (t.getEpochSecond() < 0) {
        return false;
      }
      seconds = t.getEpochSecond();
      nanos = t.getNano();
      return true;
    }
    u.readPayloadAsReference(h.getLength());
    return false;
  }

  private boolean eventTime(MessageUnpacker u, byte[] buf, int p) throws IOException {
    long s = u32(buf, p);
    long ns = u32(buf, p + 4);
    u.skipValue();
    if (ns >= 1_000_000_000L) {
      return false;
    }
    seconds = s;
    nanos = (int) ns;
    return true;
  }

  static long u32(byte[] b, int p) {
    return ((b[p] & 0xffL) << 24)
        | ((b[p + 1] & 0xffL) << 16)
        | ((b[p + 2] & 0xffL) << 8)
        | (b[p + 3] & 0xffL);
  }
}
