package dev.firelensrouter.sink.s3;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * What is persisted beside a staging file ({@code <id>.json} next to {@code <id>.data}): the
 * object's key and, once sealed, its record count and size; during a multipart upload, the upload
 * id and the parts done with their ETags, so a restarted process resumes instead of starting over.
 * Written to a temporary file and renamed, so a crash leaves the old or the new version.
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
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), this);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static StagedMeta read(Path file) throws IOException {
    StagedMeta m = JSON.readValue(file.toFile(), StagedMeta.class);
    return m.parts == null ? m.withUpload(m.uploadId, List.of()) : m;
  }
}
