package dev.firelensrouter.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one field of a record by its dotted path ({@code kubernetes.pod}) straight from the msgpack
 * bytes, skipping over everything else. Compile a {@link Path} once and reuse it on the hot path.
 */
public final class RecordFields {
  private RecordFields() {}

  /** A dotted field path, split and encoded once. */
  public record Path(String dotted, List<String> names, byte[][] keys) {
    public static Path of(String dotted) {
      String[] parts = dotted.split("\\.", -1);
      byte[][] keys = new byte[parts.length][];
      for (int i = 0; i < parts.length; i++) {
        keys[i] = parts[i].getBytes(StandardCharsets.UTF_8);
      }
      return new Path(dotted, List.of(parts), keys);
    }

    /** The last name of the path. */
    public String leaf() {
      return names.get(names.size() - 1);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Path p && p.dotted.equals(dotted);
    }

    @Override
    public int hashCode() {
      return dotted.hashCode();
    }

    @Override
    public String toString() {
      return dotted;
    }

    @Override
    public byte[][] keys() {
      return Arrays.copyOf(keys, keys.length);
    }
  }

  /**
   * The text of the field at {@code dottedPath}: a string's text, a number's or boolean's literal,
   * the JSON of a map or array; {@code null} when the field is missing, nil, or the record is not a
   * map.
   */
  public static String text(Event e, String dottedPath) {
    return text(e, Path.of(dottedPath));
  }

  /** {@link #text(Event, String)} with a compiled path. */
  public static String text(Event e, Path path) {
    byte[] b = e.recordBuffer();
    int end = e.recordOffset() + e.recordLength();
    int p = find(e, path);
    return p < 0 ? null : valueText(b, p, end);
  }

  /**
   * The position of the field's value in {@link Event#recordBuffer()}, or {@link RecordView#BAD}.
   */
  public static int find(Event e, Path path) {
    return RecordView.find(
        e.recordBuffer(), e.recordOffset(), e.recordOffset() + e.recordLength(), path.keys);
  }

  /** The text of the value at {@code p} as {@link #text(Event, String)} describes it. */
  public static String valueText(byte[] b, int p, int end) {
    switch (RecordView.kind(b, p, end)) {
      case STR, BIN:
        return RecordView.string(b, p, end);
      case INT:
        if (RecordView.skip(b, p, end) < 0) {
          return null;
        }
        long v = RecordView.longValue(b, p);
        return RecordView.isUnsigned64(b, p) ? Long.toUnsignedString(v) : Long.toString(v);
      case BOOL:
        return (b[p] & 0xff) == 0xc3 ? "true" : "false";
      case FLOAT, MAP, ARRAY, EXT:
        byte[] json = RecordJson.toJson(b, p, end);
        return json == null || Arrays.equals(json, NULL) ? null : new String(json, UTF8);
      default:
        return null;
    }
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
}
