package dev.firelensrouter.sink.s3;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How a staging file is encoded. Every encoder flushes to a decodable point on {@code flush()}
 * (gzip sync flush, a zstd block end), so a file cut by a crash decodes up to its last flush.
 */
public enum Compression {
  GZIP("gzip", "application/gzip"),
  ZSTD("zstd", "application/zstd"),
  NONE("none", "application/x-ndjson");

  private final String option;
  private final String contentType;

  Compression(String option, String contentType) {
    this.option = option;
    this.contentType = contentType;
  }

  static Compression of(String option) {
    for (Compression c : values()) {
      if (c.option.equals(option)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown compression " + option);
  }

  String option() {
    return option;
  }

  String defaultContentType() {
    return contentType;
  }

  OutputStream encoder(OutputStream raw) throws IOException {
    return switch (this) {
      case GZIP -> new FastGzip(raw);
      case ZSTD -> new ZstdOutputStream(raw, 3);
      case NONE -> raw;
    };
  }

  /**
   * gzip at deflate level 1: on log lines it compresses about as well as the default level 6 at
   * several times the speed, and the router thread does the compressing.
   */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream raw) throws IOException {
      super(raw, 64 * 1024, true);
      def.setLevel(java.util.zip.Deflater.BEST_SPEED);
    }
  }

  InputStream decoder(InputStream raw) throws IOException {
    return switch (this) {
      case GZIP -> new GZIPInputStream(raw, 64 * 1024);
      case ZSTD -> new ZstdInputStream(raw).setContinuous(true);
      case NONE -> raw;
    };
  }
}
