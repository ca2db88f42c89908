package dev.firelensrouter.sink.s3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The next {@code {{ index }}} of an output, kept in {@code next-index} in its staging dir so the
 * index keeps growing across restarts.
 */
final class StagingIndex {
  private static final String FILE = "next-index";

  private StagingIndex() {}

  static long read(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    if (!Files.exists(f)) {
      return 0;
    }
    try {
      return Long.parseLong(Files.readString(f, StandardCharsets.US_ASCII).trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static void write(Path dir, long next) throws IOException {
    Files.writeString(dir.resolve(FILE), Long.toString(next), StandardCharsets.US_ASCII);
  }
}
