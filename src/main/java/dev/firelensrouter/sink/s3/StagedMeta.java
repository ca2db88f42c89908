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
 * id, the part size it was started with and the parts done with their ETags, so a restarted process
 * resumes instead of starting over, with the same part boundaries even if {@code part_size} changed
 * in between. Written to a temporary file that is forced to disk, then renamed over the old one and
 * the directory forced, so a crash (kill -9, power loss) leaves the old or the new version, never a
 * torn one.
 */
record StagedMeta(
    String key,
    long createdMillis,
    boolean sealed,
    long records,
    long bytes,
    String uploadId,
    List<S3Uploads.Part> parts,
    long partSize) {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  static StagedMeta open(String key, long createdMillis) {
    return new StagedMeta(key, createdMillis, false, 0, 0, null, List.of(), 0);
  }

  StagedMeta sealed(long records, long bytes) {
    return new StagedMeta(key, createdMillis, true, records, bytes, uploadId, parts, partSize);
  }

  /** The upload {@code id} with {@code done} parts, cut at {@code size} bytes each. */
  StagedMeta withUpload(String id, List<S3Uploads.Part> done, long size) {
    return new StagedMeta(key, createdMillis, sealed, records, bytes, id, List.copyOf(done), size);
  }

  /** The same upload with {@code done} parts. */
  StagedMeta withParts(List<S3Uploads.Part> done) {
    return withUpload(uploadId, done, partSize);
  }

  StagedMeta withoutUpload() {
    return withUpload(null, List.of(), 0);
  }

  /**
   * The part size of this object's upload; {@code configured} when none was recorded (no upload
   * yet, or a state written before the part size was kept).
   */
  long partSizeOr(long configured) {
    return uploadId != null && partSize > 0 ? partSize : configured;
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
    return m.parts == null ? m.withParts(List.of()) : m;
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
