package dev.firelensrouter.ingest;

import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Inflates CompressedPackedForward payloads (gzip, several members allowed; zstd) up to a cap. */
final class Decompression {
  /** The output would pass the cap: a decompression bomb or a misconfigured sender. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long limit) {
      super("decompressed payload exceeds " + limit + " bytes");
    }
  }

  private Decompression() {}

  static boolean looksLikeGzip(byte[] b, int off, int len) {
    return len >= 2 && (b[off] & 0xff) == 0x1f && (b[off + 1] & 0xff) == 0x8b;
  }

  static boolean looksLikeZstd(byte[] b, int off, int len) {
    return len >= 4
        && (b[off] & 0xff) == 0x28
        && (b[off + 1] & 0xff) == 0xb5
        && (b[off + 2] & 0xff) == 0x2f
        && (b[off + 3] & 0xff) == 0xfd;
  }

  static byte[] gunzip(byte[] b, int off, int len, long limit) throws IOException {
    // GZIPInputStream goes on to the next member after each trailer (concatenated gzip).
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(b, off, len), 8192)) {
      return readCapped(in, limit, len);
    }
  }

  static byte[] unzstd(byte[] b, int off, int len, long limit) throws IOException {
    try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(b, off, len))) {
      return readCapped(in, limit, len);
    }
  }

  private static byte[] readCapped(InputStream in, long limit, int compressedLength)
      throws IOException {
    // The first guess comes from bytes we hold, never from a size the client declared.
    ByteArrayOutputStream out =
        new ByteArrayOutputStream((int) Math.min(limit, Math.max(1024L, 4L * compressedLength)));
    byte[] buf = new byte[16384];
    long total = 0;
    int r;
    while ((r = in.read(buf)) > 0) {
      total += r;
      if (total > limit) {
        throw new TooLarge(limit);
      }
      out.write(buf, 0, r);
    }
    return out.toByteArray();
  }
}
