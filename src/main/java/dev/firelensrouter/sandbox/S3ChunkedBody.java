package dev.firelensrouter.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the SDK's {@code aws-chunked} upload encoding: {@code <hex size>[;chunk-signature=..]\r\n
 * <data>\r\n} chunks, a zero-size chunk, then trailer lines (checksums) and an empty line.
 */
final class S3ChunkedBody {
  private S3ChunkedBody() {}

  static void decode(InputStream in, OutputStream out) throws IOException {
    byte[] buf = new byte[64 * 1024];
    while (true) {
      String header = line(in);
      if (header == null) {
        return;
      }
      int semi = header.indexOf(';');
      long size = Long.parseLong((semi < 0 ? header : header.substring(0, semi)).trim(), 16);
      if (size == 0) {
        // Trailers (x-amz-checksum-crc32:..., x-amz-trailer-signature:...) until an empty line.
        String t;
        while ((t = line(in)) != null && !t.isEmpty()) {
          // ignored: the sandbox does not verify checksums
        }
        return;
      }
      long left = size;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException("aws-chunked body ends inside a chunk");
        }
        out.write(buf, 0, n);
        left -= n;
      }
      line(in); // the CRLF after the data
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(128);
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    if (c < 0 && b.size() == 0) {
      return null;
    }
    return b.toString(StandardCharsets.US_ASCII);
  }
}
