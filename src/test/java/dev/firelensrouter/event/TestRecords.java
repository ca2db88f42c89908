package dev.firelensrouter.event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/** Builds msgpack records for tests from plain Java values. */
public final class TestRecords {
  private TestRecords() {}

  /** A map from alternating keys and values. */
  public static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  public static byte[] pack(Object value) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      write(p, value);
      p.flush();
      return p.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Event event(Object record) {
    return new Event(1_700_000_000L, 123_000_000, pack(record));
  }

  /** An event whose record sits in the middle of a larger buffer, as decoded events do. */
  public static Event eventInBuffer(Object record) {
    byte[] r = pack(record);
    byte[] buf = new byte[r.length + 10];
    System.arraycopy(r, 0, buf, 5, r.length);
    buf[4] = (byte) 0xc1;
    buf[r.length + 5] = (byte) 0xc1;
    return new Event(1_700_000_000L, 0, buf, 5, r.length, null);
  }

  private static void write(MessageBufferPacker p, Object v) throws IOException {
    if (v == null) {
      p.packNil();
    } else if (v instanceof String s) {
      p.packString(s);
    } else if (v instanceof byte[] b) {
      p.packBinaryHeader(b.length);
      p.writePayload(b);
    } else if (v instanceof Integer i) {
      p.packInt(i);
    } else if (v instanceof Long l) {
      p.packLong(l);
    } else if (v instanceof Double d) {
      p.packDouble(d);
    } else if (v instanceof Float f) {
      p.packFloat(f);
    } else if (v instanceof Boolean b) {
      p.packBoolean(b);
    } else if (v instanceof Map<?, ?> m) {
      p.packMapHeader(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        write(p, e.getKey());
        write(p, e.getValue());
      }
    } else if (v instanceof List<?> l) {
      p.packArrayHeader(l.size());
      for (Object o : l) {
        write(p, o);
      }
    } else {
      throw new IllegalArgumentException("cannot pack " + v.getClass());
    }
  }
}
