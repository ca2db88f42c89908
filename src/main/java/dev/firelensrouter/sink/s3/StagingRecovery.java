package dev.firelensrouter.sink.s3;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over the staging files a previous process left (crash, kill -9, a drain that ran out of
 * time). A sealed file is trusted as written. An unsealed one is decoded up to its last complete
 * line; a torn tail (the records written after the last flush, never acked) is cut and re-encoded,
 * and each partial record cut is counted as lost.
 */
final class StagingRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(StagingRecovery.class);

  /** What recovery found. */
  record Result(List<StagedObject> objects, long recordsLost, long filesRepaired) {}

  private StagingRecovery() {}

  static Result recover(Path dir, Compression compression) throws IOException {
    List<StagedObject> objects = new ArrayList<>();
    long lost = 0;
    long repaired = 0;
    List<Path> metas = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      files.forEach(metas::add);
    }
    metas.sort(null);
    for (Path metaFile : metas) {
      String name = metaFile.getFileName().toString();
      Path data = dir.resolve(name.substring(0, name.length() - ".json".length()) + ".data");
      StagedMeta meta = StagedMeta.read(metaFile);
      if (!Files.exists(data)) {
        Files.delete(metaFile);
        continue;
      }
      if (!meta.sealed()) {
        Repair r = repair(data, compression);
        lost += r.partialLines;
        if (r.partialLines > 0 || r.decodeFailed) {
          repaired++;
          LOG.warn(
              "staging file {} was cut short: kept {} records, cut {} partial record(s)",
              data,
              r.records,
              r.partialLines);
        }
        if (meta.uploadId() != null) {
          LOG.warn(
              "staging file {} was re-encoded: its multipart upload {} is not resumed"
                  + " (a bucket lifecycle rule AbortIncompleteMultipartUpload removes it)",
              data,
              meta.uploadId());
        }
        meta = meta.sealed(r.records, Files.size(data)).withUpload(null, List.of());
        meta.write(metaFile);
      }
      if (meta.records() == 0) {
        Files.delete(data);
        Files.delete(metaFile);
        continue;
      }
      objects.add(new StagedObject(data, metaFile, meta));
    }
    return new Result(objects, lost, repaired);
  }

  private record Repair(long records, long partialLines, boolean decodeFailed) {}

  /** Re-encodes the complete lines of {@code data} into a fresh, properly ended file. */
  private static Repair repair(Path data, Compression compression) throws IOException {
    Path fixed = data.resolveSibling(data.getFileName() + ".repair");
    long records = 0;
    boolean failed = false;
    byte[] pending = new byte[64 * 1024];
    int pendingLen = 0;
    try (OutputStream out =
        new BufferedOutputStream(
            compression.encoder(
                Files.newOutputStream(
                    fixed,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)),
            64 * 1024)) {
      try (InputStream in = compression.decoder(Files.newInputStream(data))) {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
          for (int i = 0; i < n; i++) {
            if (pendingLen == pending.length) {
              pending = java.util.Arrays.copyOf(pending, pending.length * 2);
            }
            pending[pendingLen++] = buf[i];
            if (buf[i] == '\n') {
              out.write(pending, 0, pendingLen);
              pendingLen = 0;
              records++;
            }
          }
        }
      } catch (IOException e) {
        // The torn tail of a file the process never finished: keep what decoded.
        failed = true;
      }
    }
    try (FileChannel ch = FileChannel.open(fixed, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(fixed, data, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Repair(records, pendingLen > 0 ? 1 : 0, failed);
  }
}
