package dev.firelensrouter.event;

/** UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). */
public final class Utf8 {
  private Utf8() {}

  /**
   * The bytes {@code s.getBytes(UTF_8)} would have, without making them: a surrogate pair is 4
   * bytes, an unpaired surrogate 1 (the JDK writes it as {@code ?}).
   */
  public static int encodedLength(CharSequence s) {
    int n = 0;
    int len = s.length();
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < len
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += Character.isSurrogate(c) ? 1 : 3;
      }
    }
    return n;
  }

  /**
   * The length of the valid multi-byte sequence starting at {@code i} (lead byte >= 0x80), or 0
   * when the bytes there are not valid UTF-8.
   */
  static int sequenceLength(byte[] b, int i, int end) {
    int c = b[i] & 0xff;
    if (c >= 0xc2 && c <= 0xdf) {
      return cont(b, i + 1, end, 0x80, 0xbf) ? 2 : 0;
    }
    if (c >= 0xe0 && c <= 0xef) {
      int lo = c == 0xe0 ? 0xa0 : 0x80;
      int hi = c == 0xed ? 0x9f : 0xbf;
      return cont(b, i + 1, end, lo, hi) && cont(b, i + 2, end, 0x80, 0xbf) ? 3 : 0;
    }
    if (c >= 0xf0 && c <= 0xf4) {
      int lo = c == 0xf0 ? 0x90 : 0x80;
      int hi = c == 0xf4 ? 0x8f : 0xbf;
      return cont(b, i + 1, end, lo, hi)
              && cont(b, i + 2, end, 0x80, 0xbf)
              && cont(b, i + 3, end, 0x80, 0xbf)
          ? 4
          : 0;
    }
    return 0;
  }

  /** True when every byte of {@code b[s, s+n)} is part of valid UTF-8. */
  static boolean isValid(byte[] b, int s, int n) {
    int e = s + n;
    int i = s;
    while (i < e) {
      if (b[i] >= 0) {
        i++;
      } else {
        int len = sequenceLength(b, i, e);
        if (len == 0) {
          return false;
        }
        i += len;
      }
    }
    return true;
  }

  private static boolean cont(byte[] b, int i, int end, int lo, int hi) {
    if (i >= end) {
      return false;
    }
    int c = b[i] & 0xff;
    return c >= lo && c <= hi;
  }
}
