package dev.firelensrouter.sink.s3;

import dev.firelensrouter.event.NameRules;
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
 * and each partial record cut is counted as lost. A data file whose state ({@code <id>.json}) is
 * missing or cannot be read is not skipped: it is repaired the same way and uploaded afresh under a
 * key made from its staging id ({@link #recoveredKey}), and counted.
 */
final class StagingRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(StagingRecovery.class);

  /** What recovery found. */
  record Result(
      List<StagedObject> objects,
      long recordsLost,
      long filesRepaired,
      long statesUnreadable,
      List<Abandoned> abandoned) {}

  /** A multipart upload of a re-encoded file: it cannot be resumed, so it is to be aborted. */
  record Abandoned(String key, String uploadId) {}

  private StagingRecovery() {}

  /**
   * The key of a staged object whose state was lost: {@code
   * firelens-router/recovered/<output>/<id>} plus the extension of its compression.
   */
  static String recoveredKey(String output, String id, Compression compression) {
    String ext =
        switch (compression) {
          case GZIP -> ".jsonl.gz";
          case ZSTD -> ".jsonl.zst";
          case NONE -> ".jsonl";
        };
    return NameRules.s3Key("firelens-router/recovered/" + output + "/" + id + ext);
  }

  static Result recover(Path dir, Compression compression, String output) throws IOException {
    List<StagedObject> objects = new ArrayList<>();
    long lost = 0;
    long repaired = 0;
    long unreadable = 0;
    List<Abandoned> abandoned = new ArrayList<>();
    List<Path> datas = new ArrayList<>();
    List<Path> metas = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (name.endsWith(".data")) {
          datas.add(f);
        } else if (name.endsWith(".json")) {
          metas.add(f);
        }
      }
    }
    // State without data: the object was uploaded and its data removed just before the crash.
    for (Path metaFile : metas) {
      if (!datas.contains(sibling(metaFile, ".json", ".data"))) {
        Files.delete(metaFile);
        Files.deleteIfExists(StagedMeta.tmpOf(metaFile));
      }
    }
    datas.sort(null);
    for (Path data : datas) {
      String name = data.getFileName().toString();
      String id = name.substring(0, name.length() - ".data".length());
      Path metaFile = dir.resolve(id + ".json");
      StagedMeta meta = readState(metaFile);
      if (meta == null) {
        unreadable++;
        meta = StagedMeta.open(recoveredKey(output, id, compression), createdMillis(id, data));
        LOG.debug("staging file {}: state unreadable, uploading it as {}", data, meta.key());
      }
      Files.deleteIfExists(StagedMeta.tmpOf(metaFile));
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
          LOG.info(
              "staging file {} was re-encoded: its multipart upload {} is aborted and started over",
              data,
              meta.uploadId());
          abandoned.add(new Abandoned(meta.key(), meta.uploadId()));
        }
        meta = meta.sealed(r.records, Files.size(data)).withoutUpload();
        meta.write(metaFile);
      }
      if (meta.records() == 0) {
        Files.delete(data);
        Files.deleteIfExists(metaFile);
        continue;
      }
      objects.add(new StagedObject(data, metaFile, meta));
    }
    return new Result(objects, lost, repaired, unreadable, abandoned);
  }

  /**
   * The state in {@code <id>.json}, else in a complete {@code <id>.json.tmp} (written, not yet
   * renamed: the rename is finished here), else null.
   */
  private static StagedMeta readState(Path metaFile) {
    Path tmp = StagedMeta.tmpOf(metaFile);
    for (Path candidate : List.of(metaFile, tmp)) {
      if (Files.exists(candidate)) {
        try {
          StagedMeta meta = StagedMeta.read(candidate);
          if (candidate.equals(tmp)) {
            Files.move(
                tmp, metaFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          }
          return meta;
        } catch (IOException | RuntimeException e) {
          LOG.debug("cannot read staging state {}: {}", candidate, e.toString());
        }
      }
    }
    return null;
  }

  /** The creation time in a staging id ({@code <millis>-<index>-<random>}), else the file's. */
  private static long createdMillis(String id, Path data) throws IOException {
    int dash = id.indexOf('-');
    try {
      return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
    } catch (NumberFormatException e) {
      return Files.getLastModifiedTime(data).toMillis();
    }
  }

  private static Path sibling(Path file, String ext, String otherExt) {
    String name = file.getFileName().toString();
    return file.resolveSibling(name.substring(0, name.length() - ext.length()) + otherExt);
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
