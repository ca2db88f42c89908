package dev.firelensrouter.sink.s3;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * What is persisted beside a staging file ({@code <id>.json} next to {@code <id>.data}): the
 * object's key and, once sealed, its record count and size; during a multipart upload, the upload
 * id and the parts done with their ETags, so a restarted process resumes instead of starting over.
 * Written to a temporary file that is forced to disk, then renamed over the old one and the
 * directory forced, so a crash (kill -9, power loss) leaves the old or the new version, never a
 * torn one.
 */
record StagedMeta(
    String key,
    long createdMillis,
    boolean sealed,
    long records,
    long bytes,
    String uploadId,
    List<S3Uploads.Part> parts) {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  static StagedMeta open(String key, long createdMillis) {
    return new StagedMeta(key, createdMillis, false, 0, 0, null, List.of());
  }

  StagedMeta sealed(long records, long bytes) {
    return new StagedMeta(key, createdMillis, true, records, bytes, uploadId, parts);
  }

  StagedMeta withUpload(String id, List<S3Uploads.Part> done) {
    return new StagedMeta(key, createdMillis, sealed, records, bytes, id, List.copyOf(done));
  }

  void write(Path file) throws IOException {
    Path tmp = tmpOf(file);
    ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(this));
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      while (bytes.hasRemaining()) {
        ch.write(bytes);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory(file.getParent());
  }

  /** Where {@link #write} puts the next version before renaming it over {@code file}. */
  static Path tmpOf(Path file) {
    return file.resolveSibling(file.getFileName() + ".tmp");
  }

  /** Reads a state file; fails if it is torn, empty or lacks the key. */
  static StagedMeta read(Path file) throws IOException {
    StagedMeta m = JSON.readValue(file.toFile(), StagedMeta.class);
    if (m == null || m.key == null || m.key.isEmpty()) {
      throw new IOException("state file without an object key: " + file);
    }
    return m.parts == null ? m.withUpload(m.uploadId, List.of()) : m;
  }

  /** Makes a rename in {@code dir} durable where the platform allows it (not on Windows). */
  static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some platforms cannot open a directory; the rename itself is still atomic there.
    }
  }
}
