package dev.firelensrouter.event;

import java.nio.charset.StandardCharsets;

/**
 * Reads msgpack values in place, without decoding what is not asked for. Every method takes the
 * buffer and a position and never throws on malformed or truncated input: positions that cannot be
 * read come back as {@link #BAD}. Skipping is iterative, so deep nesting cannot overflow the stack.
 */
public final class RecordView {
  /** Returned for a position that holds no readable value. */
  public static final int BAD = -1;

  /** The kinds of msgpack value, as far as routing cares. */
  public enum Kind {
    NIL,
    BOOL,
    INT,
    FLOAT,
    STR,
    BIN,
    ARRAY,
    MAP,
    EXT,
    INVALID
  }

  private RecordView() {}

  public static Kind kind(byte[] b, int p, int end) {
    if (p < 0 || p >= end) {
      return Kind.INVALID;
    }
    int t = b[p] & 0xff;
    if (t <= 0x7f || t >= 0xe0) {
      return Kind.INT;
    }
    if (t <= 0x8f) {
      return Kind.MAP;
    }
    if (t <= 0x9f) {
      return Kind.ARRAY;
    }
    if (t <= 0xbf) {
      return Kind.STR;
    }
    return switch (t) {
      case 0xc0 -> Kind.NIL;
      case 0xc2, 0xc3 -> Kind.BOOL;
      case 0xc4, 0xc5, 0xc6 -> Kind.BIN;
      case 0xc7, 0xc8, 0xc9, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8 -> Kind.EXT;
      case 0xca, 0xcb -> Kind.FLOAT;
      case 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3 -> Kind.INT;
      case 0xd9, 0xda, 0xdb -> Kind.STR;
      case 0xdc, 0xdd -> Kind.ARRAY;
      case 0xde, 0xdf -> Kind.MAP;
      default -> Kind.INVALID;
    };
  }

  /** Number of bytes of the header before a str/bin/ext payload or map/array items. */
  static int headerSize(byte[] b, int p) {
    int t = b[p] & 0xff;
    if (t <= 0xbf || t >= 0xe0) {
      return 1;
    }
    return switch (t) {
      case 0xc4, 0xd9 -> 2;
      case 0xc5, 0xda, 0xdc, 0xde -> 3;
      case 0xc6, 0xdb, 0xdd, 0xdf -> 5;
      case 0xc7 -> 3;
      case 0xc8 -> 4;
      case 0xc9 -> 6;
      case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8 -> 2;
      default -> 1;
    };
  }

  /**
   * For str/bin/ext: payload length; for map/array: item count (pairs for maps); else 0. Returns -1
   * if the header runs past {@code end}.
   */
  static long length(byte[] b, int p, int end) {
    int t = b[p] & 0xff;
    int h = headerSize(b, p);
    if (p + h > end) {
      return -1;
    }
    if (t >= 0x80 && t <= 0x8f) {
      return t & 0x0f;
    }
    if (t >= 0x90 && t <= 0x9f) {
      return t & 0x0f;
    }
    if (t >= 0xa0 && t <= 0xbf) {
      return t & 0x1f;
    }
    return switch (t) {
      case 0xc4, 0xd9, 0xc7 -> b[p + 1] & 0xffL;
      case 0xc5, 0xda, 0xdc, 0xde, 0xc8 -> u16(b, p + 1);
      case 0xc6, 0xdb, 0xdd, 0xdf, 0xc9 -> u32(b, p + 1);
      case 0xd4 -> 1;
      case 0xd5 -> 2;
      case 0xd6 -> 4;
      case 0xd7 -> 8;
      case 0xd8 -> 16;
      default -> 0;
    };
  }

  /** Where the payload of a str/bin/ext value starts (after the ext type byte for ext). */
  static int payload(byte[] b, int p) {
    return p + headerSize(b, p);
  }

  /** The ext type byte of an ext value at {@code p}. */
  static int extType(byte[] b, int p) {
    return b[p + headerSize(b, p) - 1];
  }

  /** The position just after the value at {@code p}, or {@link #BAD}. */
  public static int skip(byte[] b, int p, int end) {
    long pending = 1;
    while (pending > 0) {
      if (p < 0 || p >= end) {
        return BAD;
      }
      pending--;
      int t = b[p] & 0xff;
      if (t <= 0x7f || t >= 0xe0 || t == 0xc0 || t == 0xc2 || t == 0xc3) {
        p++;
        continue;
      }
      long n = length(b, p, end);
      if (n < 0) {
        return BAD;
      }
      int h = headerSize(b, p);
      switch (kind(b, p, end)) {
        case MAP -> {
          pending += 2 * n;
          p += h;
        }
        case ARRAY -> {
          pending += n;
          p += h;
        }
        case STR, BIN, EXT -> {
          long next = (long) p + h + n;
          if (next > end) {
            return BAD;
          }
          p = (int) next;
        }
        case INT, FLOAT -> {
          int size = numberSize(t);
          if (p + size > end) {
            return BAD;
          }
          p += size;
        }
        default -> {
          return BAD;
        }
      }
      if (pending > end - p) {
        return BAD; // more items announced than bytes left: malformed
      }
    }
    return p;
  }

  private static int numberSize(int t) {
    return switch (t) {
      case 0xcc, 0xd0 -> 2;
      case 0xcd, 0xd1 -> 3;
      case 0xca, 0xce, 0xd2 -> 5;
      case 0xcb, 0xcf, 0xd3 -> 9;
      default -> 1;
    };
  }

  /**
   * Finds the value at a path of map keys, starting at the map at {@code p}. Returns its position
   * or {@link #BAD} when any step is missing or not a map.
   */
  public static int find(byte[] b, int p, int end, byte[][] path) {
    for (byte[] key : path) {
      p = findKey(b, p, end, key);
      if (p < 0) {
        return BAD;
      }
    }
    return p;
  }

  /** The position of the value under {@code key} in the map at {@code p}, or {@link #BAD}. */
  public static int findKey(byte[] b, int p, int end, byte[] key) {
    if (kind(b, p, end) != Kind.MAP) {
      return BAD;
    }
    long n = length(b, p, end);
    if (n < 0) {
      return BAD;
    }
    p += headerSize(b, p);
    for (long i = 0; i < n; i++) {
      if (p >= end) {
        return BAD;
      }
      boolean match = keyEquals(b, p, end, key);
      p = skip(b, p, end);
      if (p < 0) {
        return BAD;
      }
      if (match) {
        return p < end ? p : BAD;
      }
      p = skip(b, p, end);
      if (p < 0) {
        return BAD;
      }
    }
    return BAD;
  }

  /** True if the str (or bin) value at {@code p} has exactly the bytes of {@code key}. */
  public static boolean keyEquals(byte[] b, int p, int end, byte[] key) {
    Kind k = kind(b, p, end);
    if (k != Kind.STR && k != Kind.BIN) {
      return false;
    }
    long n = length(b, p, end);
    if (n != key.length) {
      return false;
    }
    int s = p + headerSize(b, p);
    if (s + n > end) {
      return false;
    }
    for (int i = 0; i < key.length; i++) {
      if (b[s + i] != key[i]) {
        return false;
      }
    }
    return true;
  }

  /** The text of a str/bin value (invalid UTF-8 becomes U+FFFD), or {@code null}. */
  public static String string(byte[] b, int p, int end) {
    Kind k = kind(b, p, end);
    if (k != Kind.STR && k != Kind.BIN) {
      return null;
    }
    long n = length(b, p, end);
    int s = p + headerSize(b, p);
    if (n < 0 || s + n > end) {
      return null;
    }
    return new String(b, s, (int) n, StandardCharsets.UTF_8);
  }

  /** The value of an int at {@code p} (uint64 above Long.MAX_VALUE wraps; see isUnsigned64). */
  public static long longValue(byte[] b, int p) {
    int t = b[p] & 0xff;
    if (t <= 0x7f) {
      return t;
    }
    if (t >= 0xe0) {
      return (byte) t;
    }
    return switch (t) {
      case 0xcc -> b[p + 1] & 0xff;
      case 0xcd -> u16(b, p + 1);
      case 0xce -> u32(b, p + 1);
      case 0xcf, 0xd3 -> i64(b, p + 1);
      case 0xd0 -> b[p + 1];
      case 0xd1 -> (short) u16(b, p + 1);
      case 0xd2 -> (int) u32(b, p + 1);
      default -> 0;
    };
  }

  /** True for a uint64 whose value does not fit a signed long. */
  public static boolean isUnsigned64(byte[] b, int p) {
    return (b[p] & 0xff) == 0xcf && b[p + 1] < 0;
  }

  /** The number at {@code p} (int or float) as a double; NaN if not a number or truncated. */
  public static double doubleValue(byte[] b, int p, int end) {
    Kind k = kind(b, p, end);
    if ((k != Kind.INT && k != Kind.FLOAT) || p + numberSize(b[p] & 0xff) > end) {
      return Double.NaN;
    }
    int t = b[p] & 0xff;
    if (t == 0xca) {
      return Float.intBitsToFloat((int) u32(b, p + 1));
    }
    if (t == 0xcb) {
      return Double.longBitsToDouble(i64(b, p + 1));
    }
    if (isUnsigned64(b, p)) {
      return unsignedToDouble(b, p);
    }
    return longValue(b, p);
  }

  private static double unsignedToDouble(byte[] b, int p) {
    long v = longValue(b, p);
    return (double) (v >>> 1) * 2.0 + (v & 1);
  }

  static int u16(byte[] b, int p) {
    return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
  }

  static long u32(byte[] b, int p) {
    return ((long) (b[p] & 0xff) << 24)
        | ((b[p + 1] & 0xff) << 16)
        | ((b[p + 2] & 0xff) << 8)
        | (b[p + 3] & 0xff);
  }

  static long i64(byte[] b, int p) {
    return (u32(b, p) << 32) | u32(b, p + 4);
  }
}
