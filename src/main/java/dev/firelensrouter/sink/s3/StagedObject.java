package dev.firelensrouter.sink.s3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sealed staging file waiting for (or in) its upload. Its upload state is persisted with every
 * change through {@link #update}.
 */
final class StagedObject {
  private final Path data;
  private final Path metaFile;
  private volatile StagedMeta meta;

  StagedObject(Path data, Path metaFile, StagedMeta meta) {
    this.data = data;
    this.metaFile = metaFile;
    this.meta = meta;
  }

  Path data() {
    return data;
  }

  Path metaFile() {
    return metaFile;
  }

  StagedMeta meta() {
    return meta;
  }

  String key() {
    return meta.key();
  }

  long records() {
    return meta.records();
  }

  long bytes() {
    return meta.bytes();
  }

  void update(StagedMeta next) throws IOException {
    next.write(metaFile);
    meta = next;
  }

  /** Removes both files once the object is in S3. */
  void delete() throws IOException {
    Files.deleteIfExists(data);
    Files.deleteIfExists(metaFile);
  }
}
