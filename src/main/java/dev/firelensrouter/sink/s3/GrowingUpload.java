package dev.firelensrouter.sink.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Uploads the parts of a big object while its staging file still grows: once the file passes the
 * multipart threshold, each full {@code part_size} slice of flushed bytes (which never change
 * again) goes up as the next part, one at a time, and the upload id and ETags are persisted. At
 * seal {@link #stop} hands the state to the {@link ObjectUpload}, which sends the rest. A failure
 * here only stops the early parts; the final upload then does the work (re-sending a part number is
 * harmless: S3 keeps the last). Memory: one part at most.
 */
final class GrowingUpload {
  private final S3Uploads s3;
  private final Path data;
  private final Path metaFile;
  private final StagedMeta opened;
  private final long partSize;
  private final Executor reader;
  private final List<S3Uploads.Part> parts = new ArrayList<>();
  private String uploadId;
  private long flushed;
  private boolean busy;
  private boolean stopped;

  GrowingUpload(
      S3Uploads s3, Path data, Path metaFile, StagedMeta opened, long partSize, Executor reader) {
    this.s3 = s3;
    this.data = data;
    this.metaFile = metaFile;
    this.opened = opened;
    this.partSize = partSize;
    this.reader = reader;
  }

  /** The file now holds {@code flushedBytes} stable bytes; start the next step if one is due. */
  synchronized void offer(long flushedBytes) {
    flushed = Math.max(flushed, flushedBytes);
    if (busy || stopped) {
      return;
    }
    if (uploadId == null) {
      busy = true;
      s3.createMultipart(opened.key()).whenCompleteAsync((id, e) -> created(id, e), reader);
      return;
    }
    long offset = parts.size() * partSize;
    if (flushed < offset + partSize) {
      return;
    }
    busy = true;
    int number = parts.size() + 1;
    String id = uploadId;
    CompletableFuture.supplyAsync(() -> slice(offset), reader)
        .thenCompose(bytes -> s3.uploadPart(opened.key(), id, number, bytes))
        .whenCompleteAsync((etag, e) -> uploaded(number, etag, e), reader);
  }

  private synchronized void created(String id, Throwable e) {
    busy = false;
    if (e == null && stopped) {
      // Sealed while the upload was being created: the final upload starts its own, so this one
      // would only leave an open multipart upload behind.
      s3.abort(opened.key(), id);
      return;
    }
    if (e != null) {
      stopped = true;
      return;
    }
    uploadId = id;
    persist();
    offer(flushed);
  }

  private synchronized void uploaded(int number, String etag, Throwable e) {
    busy = false;
    if (e != null || stopped) {
      stopped = true;
      return;
    }
    parts.add(new S3Uploads.Part(number, etag));
    persist();
    offer(flushed);
  }

  /** Stops early parts; answers the upload id (or null) and the parts done so far. */
  synchronized StagedMeta stop(StagedMeta sealed) {
    stopped = true;
    return uploadId == null ? sealed : sealed.withUpload(uploadId, parts, partSize);
  }

  private void persist() {
    try {
      opened.withUpload(uploadId, parts, partSize).write(metaFile);
    } catch (IOException e) {
      stopped = true;
    }
  }

  private ByteBuffer slice(long offset) {
    try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate((int) partSize);
      while (b.hasRemaining()) {
        if (ch.read(b, offset + b.position()) < 0) {
          throw new IOException("staging file shorter than its flushed size");
        }
      }
      return b.flip();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
