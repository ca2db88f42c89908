package dev.firelensrouter.event;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a msgpack record as JSON (RFC 8259) straight from its bytes, without building a tree.
 *
 * <ul>
 *   <li>str and bin become JSON strings; every byte that is not part of a valid UTF-8 sequence is
 *       replaced by U+FFFD.
 *   <li>ext type 0 (Fluentd EventTime) becomes the number {@code seconds.nanos}; other ext values
 *       become {@code null}.
 *   <li>floats are JSON numbers; NaN and infinities become {@code null}.
 *   <li>map keys that are not strings are written as the string of their JSON text.
 *   <li>values nested deeper than {@link #MAX_DEPTH} become {@code null}.
 * </ul>
 */
public final class RecordJson {
  /** Nesting deeper than this is written as {@code null}. */
  public static final int MAX_DEPTH = 128;

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

  private RecordJson() {}

  /**
   * Writes the msgpack value in {@code buf[off, off+len)} as JSON.
   *
   * @throws IOException when {@code out} fails or the bytes are not one whole msgpack value
   */
  public static void write(byte[] buf, int off, int len, OutputStream out) throws IOException {
    Json json = buffer(len);
    int end = off + len;
    if (json.value(buf, off, end, 0) != end) {
      throw new IOException("malformed msgpack record (" + len + " bytes)");
    }
    out.write(json.bytes, 0, json.size);
  }

  /**
   * The event's record as JSON bytes.
   *
   * @throws IllegalArgumentException when the record bytes are not one whole msgpack value
   */
  public static byte[] toJson(Event e) {
    return toJson(e, false);
  }

  /**
   * The event's record as JSON bytes followed by a newline (one line of a JSON Lines stream).
   *
   * @throws IllegalArgumentException when the record bytes are not one whole msgpack value
   */
  public static byte[] toJsonLine(Event e) {
    return toJson(e, true);
  }

  private static byte[] toJson(Event e, boolean newline) {
    int p = e.recordOffset();
    int end = p + e.recordLength();
    Json json = buffer(e.recordLength());
    if (json.value(e.recordBuffer(), p, end, 0) < 0) {
      throw new IllegalArgumentException("malformed msgpack record");
    }
    if (newline) {
      json.put('\n');
    }
    return json.take();
  }

  /** The value at {@code p} as JSON bytes, or {@code null} if it cannot be read. */
  static byte[] toJson(byte[] b, int p, int end) {
    Json json = buffer(end - p);
    int next = json.value(b, p, end, 0);
    return next < 0 ? null : json.take();
  }

  /** Records whose JSON fits this are written in the thread's own buffer. */
  private static final int SCRATCH_BYTES = 64 * 1024;

  /**
   * Each thread's buffer to write a record's JSON in before it is copied out at its exact size: a
   * new buffer per record, then the copy, had been a quarter of the bytes the Firehose path
   * allocated, and the collections they caused a quarter of the router's CPU.
   */
  private static final ThreadLocal<Json> SCRATCH =
      ThreadLocal.withInitial(() -> new Json(SCRATCH_BYTES));

  /**
   * The thread's buffer, emptied (and back to its size if a record's escapes grew it), or a new one
   * for a record too big for it.
   */
  private static Json buffer(int msgpackBytes) {
    int capacity = capacityFor(msgpackBytes);
    if (capacity > SCRATCH_BYTES) {
      return new Json(capacity);
    }
    Json json = SCRATCH.get();
    if (json.bytes.length > SCRATCH_BYTES) {
      json.bytes = new byte[SCRATCH_BYTES];
    }
    json.size = 0;
    return json;
  }

  /**
   * Room for the JSON of {@code msgpackBytes} bytes of record: JSON adds quotes, colons and commas
   * to each field, so a quarter more holds a typical log record without growing the buffer (grown
   * from a small start, the copies cost more than writing the JSON did).
   */
  private static int capacityFor(int msgpackBytes) {
    return Math.max(64, msgpackBytes + (msgpackBytes >> 2) + 16);
  }

  /** A growable byte buffer that knows how to append msgpack values as JSON. */
  static final class Json {
    byte[] bytes;
    int size;

    Json(int capacity) {
      bytes = new byte[capacity];
    }

    /** What was written, at its exact size. */
    byte[] take() {
      return Arrays.copyOf(bytes, size);
    }

    /** Appends the value at {@code p}; returns the position after it or {@link RecordView#BAD}. */
    int value(byte[] b, int p, int end, int depth) {
      RecordView.Kind kind = RecordView.kind(b, p, end);
      if (depth > MAX_DEPTH && (kind == RecordView.Kind.MAP || kind == RecordView.Kind.ARRAY)) {
        put(NULL);
        return RecordView.skip(b, p, end);
      }
      int next = RecordView.skip(b, p, end);
      if (next < 0) {
        return RecordView.BAD;
      }
      switch (kind) {
        case NIL -> put(NULL);
        case BOOL -> put((b[p] & 0xff) == 0xc3 ? TRUE : FALSE);
        case INT -> number(b, p);
        case FLOAT -> floating(b, p);
        case STR, BIN -> {
          int s = RecordView.payload(b, p);
          string(b, s, next - s);
        }
        case EXT -> ext(b, p, next);
        case ARRAY -> {
          long n = RecordView.length(b, p, end);
          int q = p + RecordView.headerSize(b, p);
          put('[');
          for (long i = 0; i < n; i++) {
            if (i > 0) {
              put(',');
            }
            q = value(b, q, end, depth + 1);
            if (q < 0) {
              return RecordView.BAD;
            }
          }
          put(']');
        }
        case MAP -> {
          long n = RecordView.length(b, p, end);
          int q = p + RecordView.headerSize(b, p);
          put('{');
          for (long i = 0; i < n; i++) {
            if (i > 0) {
              put(',');
            }
            q = key(b, q, end, depth);
            if (q < 0) {
              return RecordView.BAD;
            }
            put(':');
            q = value(b, q, end, depth + 1);
            if (q < 0) {
              return RecordView.BAD;
            }
          }
          put('}');
        }
        default -> {
          return RecordView.BAD;
        }
      }
      return next;
    }

    private int key(byte[] b, int p, int end, int depth) {
      RecordView.Kind kind = RecordView.kind(b, p, end);
      if (kind == RecordView.Kind.STR || kind == RecordView.Kind.BIN) {
        return value(b, p, end, depth + 1);
      }
      Json text = new Json(16);
      int next = text.value(b, p, end, depth + 1);
      if (next >= 0) {
        string(text.bytes, 0, text.size);
      }
      return next;
    }

    private void number(byte[] b, int p) {
      long v = RecordView.longValue(b, p);
      ascii(RecordView.isUnsigned64(b, p) ? Long.toUnsignedString(v) : Long.toString(v));
    }

    private void floating(byte[] b, int p) {
      double d = RecordView.doubleValue(b, p, b.length);
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        put(NULL);
      } else if ((b[p] & 0xff) == 0xca) {
        ascii(Float.toString((float) d));
      } else {
        ascii(Double.toString(d));
      }
    }

    private void ext(byte[] b, int p, int next) {
      int s = RecordView.payload(b, p);
      if (RecordView.extType(b, p) == 0 && next - s == 8) {
        long seconds = RecordView.u32(b, s);
        long nanos = RecordView.u32(b, s + 4);
        ascii(Long.toString(seconds));
        put('.');
        String n = Long.toString(nanos);
        for (int i = n.length(); i < 9; i++) {
          put('0');
        }
        ascii(n);
      } else {
        put(NULL);
      }
    }

    /** Appends bytes as a JSON string: escaped, invalid UTF-8 bytes replaced by U+FFFD. */
    void string(byte[] b, int s, int n) {
      ensure(n + 2);
      put('"');
      int i = s;
      int e = s + n;
      while (i < e) {
        int c = b[i] & 0xff;
        if (c < 0x20 || c == '"' || c == '\\') {
          escape(c);
          i++;
        } else if (c < 0x80) {
          // A run of plain ASCII goes in one copy (a signed byte below 0x20 also ends it at the
          // first byte of a UTF-8 sequence): most of a log line, most of the CPU of this method.
          int run = i + 1;
          while (run < e) {
            byte d = b[run];
            if (d < 0x20 || d == '"' || d == '\\') {
              break;
            }
            run++;
          }
          ensure(run - i);
          System.arraycopy(b, i, bytes, size, run - i);
          size += run - i;
          i = run;
        } else {
          int len = Utf8.sequenceLength(b, i, e);
          if (len > 0) {
            ensure(len);
            System.arraycopy(b, i, bytes, size, len);
            size += len;
            i += len;
          } else {
            put(0xef);
            put(0xbf);
            put(0xbd);
            i++;
          }
        }
      }
      put('"');
    }

    private void escape(int c) {
      put('\\');
      switch (c) {
        case '"' -> put('"');
        case '\\' -> put('\\');
        case '\n' -> put('n');
        case '\r' -> put('r');
        case '\t' -> put('t');
        case '\b' -> put('b');
        case '\f' -> put('f');
        default -> {
          put('u');
          put('0');
          put('0');
          put(HEX[c >> 4]);
          put(HEX[c & 0xf]);
        }
      }
    }

    private void ascii(String s) {
      ensure(s.length());
      for (int i = 0; i < s.length(); i++) {
        bytes[size++] = (byte) s.charAt(i);
      }
    }

    void put(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, bytes, size, b.length);
      size += b.length;
    }

    void put(int c) {
      if (size == bytes.length) {
        ensure(1);
      }
      bytes[size++] = (byte) c;
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }
  }
}
