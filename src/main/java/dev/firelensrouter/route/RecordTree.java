package dev.firelensrouter.route;

import dev.firelensrouter.event.RecordFields;
import dev.firelensrouter.event.RecordView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Decodes the maps of a msgpack record into {@link LinkedHashMap}s for transforms to edit, keeping
 * every other value as its original bytes ({@link Raw}) so that what no transform touches is
 * written back byte for byte. Encodes the result back to msgpack.
 */
final class RecordTree {
  /** Maps nested deeper than this stay raw. */
  static final int MAX_DEPTH = 64;

  /** A msgpack value kept as its bytes. */
  record Raw(byte[] bytes) {
    String text() {
      return RecordFields.valueText(bytes, 0, bytes.length);
    }

    boolean isString() {
      RecordView.Kind k = RecordView.kind(bytes, 0, bytes.length);
      return k == RecordView.Kind.STR || k == RecordView.Kind.BIN;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Raw r && Arrays.equals(r.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return String.valueOf(text());
    }
  }

  private RecordTree() {}

  /** The map at {@code p}, or {@code null} when the value there is not a readable map. */
  static Map<String, Object> decodeMap(byte[] b, int p, int end) {
    if (RecordView.kind(b, p, end) != RecordView.Kind.MAP || RecordView.skip(b, p, end) < 0) {
      return null;
    }
    return map(b, p, end, 0);
  }

  private static Map<String, Object> map(byte[] b, int p, int end, int depth) {
    int n = (int) lengthOf(b, p, end);
    Map<String, Object> out = new LinkedHashMap<>(Math.max(4, n * 2));
    int q = firstItem(b, p);
    for (int i = 0; i < n; i++) {
      int valueAt = RecordView.skip(b, q, end);
      String key = RecordFields.valueText(b, q, end);
      int next = RecordView.skip(b, valueAt, end);
      Object value =
          RecordView.kind(b, valueAt, end) == RecordView.Kind.MAP && depth < MAX_DEPTH
              ? map(b, valueAt, end, depth + 1)
              : new Raw(Arrays.copyOfRange(b, valueAt, next));
      out.put(key == null ? "null" : key, value);
      q = next;
    }
    return out;
  }

  private static long lengthOf(byte[] b, int p, int end) {
    // the map header was validated by skip(); read its count the same way RecordView does
    int t = b[p] & 0xff;
    if (t <= 0x8f) {
      return t & 0x0f;
    }
    if (t == 0xde) {
      return ((b[p + 1] & 0xff) << 8) | (b[p + 2] & 0xff);
    }
    return ((long) (b[p + 1] & 0xff) << 24)
        | ((b[p + 2] & 0xff) << 16)
        | ((b[p + 3] & 0xff) << 8)
        | (b[p + 4] & 0xff);
  }

  private static int firstItem(byte[] b, int p) {
    int t = b[p] & 0xff;
    return t <= 0x8f ? p + 1 : t == 0xde ? p + 3 : p + 5;
  }

  static byte[] encode(Map<String, Object> record) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      write(p, record);
      return p.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(MessageBufferPacker p, Object v) throws IOException {
    if (v == null) {
      p.packNil();
    } else if (v instanceof Raw r) {
      p.writePayload(r.bytes);
    } else if (v instanceof String s) {
      p.packString(s);
    } else if (v instanceof Boolean bool) {
      p.packBoolean(bool);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      p.packLong(((Number) v).longValue());
    } else if (v instanceof BigInteger bi) {
      if (bi.bitLength() < 64) {
        p.packLong(bi.longValue());
      } else {
        p.packDouble(bi.doubleValue()); // beyond 64 bits: keep the magnitude, as JSON readers do
      }
    } else if (v instanceof BigDecimal bd) {
      p.packDouble(bd.doubleValue());
    } else if (v instanceof Number n) {
      p.packDouble(n.doubleValue());
    } else if (v instanceof Map<?, ?> m) {
      p.packMapHeader(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        p.packString(String.valueOf(e.getKey()));
        write(p, e.getValue());
      }
    } else if (v instanceof List<?> l) {
      p.packArrayHeader(l.size());
      for (Object o : l) {
        write(p, o);
      }
    } else {
      p.packString(String.valueOf(v));
    }
  }

  /** The text of a decoded value: strings as is, maps and lists as JSON-ish text. */
  static String text(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Raw r) {
      return r.text();
    }
    if (v instanceof Map<?, ?> || v instanceof List<?>) {
      byte[] bytes = encodeValue(v);
      return RecordFields.valueText(bytes, 0, bytes.length);
    }
    return String.valueOf(v);
  }

  static byte[] encodeValue(Object v) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      write(p, v);
      return p.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
