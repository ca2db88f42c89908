package dev.firelensrouter.sink.s3;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One open object: records appended as lines, compressed as they go, to {@code <id>.data}, with
 * {@code <id>.json} written first so a crash never leaves data without its key. {@link #flush}
 * makes everything written so far decodable from the file (and durable, if asked).
 */
final class StagingFile {
  private final Path data;
  private final Path metaFile;
  private final StagedMeta meta;
  private final FileChannel channel;
  private final Counting counting;
  private final OutputStream encoder;
  private final OutputStream lines;
  private long records;
  private long accounted;
  private GrowingUpload growing;

  StagingFile(Path dir, String id, StagedMeta meta, Compression compression) throws IOException {
    this.data = dir.resolve(id + ".data");
    this.metaFile = dir.resolve(id + ".json");
    this.meta = meta;
    meta.write(metaFile);
    this.channel =
        FileChannel.open(
            data,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
    this.counting = new Counting(Channels.newOutputStream(channel));
    this.encoder = compression.encoder(counting);
    this.lines = new BufferedOutputStream(encoder, 64 * 1024);
  }

  /** Where the caller writes one line; it then calls {@link #recordWritten}. */
  OutputStream lines() {
    return lines;
  }

  void recordWritten() {
    records++;
  }

  long records() {
    return records;
  }

  String key() {
    return meta.key();
  }

  long createdMillis() {
    return meta.createdMillis();
  }

  /** Encoded bytes in the file so far (the encoder may hold a little more until flushed). */
  long encodedBytes() {
    return counting.count;
  }

  /** Encoded bytes added to the file since the last call (for the staging-space count). */
  long takeGrowth() {
    long growth = counting.count - accounted;
    accounted = counting.count;
    return growth;
  }

  void flush(boolean force) throws IOException {
    lines.flush();
    if (force) {
      channel.force(false);
    }
  }

  /** Starts (once) uploading parts of this file while it grows; answers that upload. */
  GrowingUpload growing(S3Uploads s3, long partSize, java.util.concurrent.Executor reader) {
    if (growing == null) {
      growing = new GrowingUpload(s3, data, metaFile, meta, partSize, reader);
    }
    return growing;
  }

  /** Ends the encoding, forces the file to disk and records the final size and count. */
  StagedObject seal() throws IOException {
    lines.close();
    StagedMeta sealed = meta.sealed(records, counting.count);
    if (growing != null) {
      sealed = growing.stop(sealed);
    }
    sealed.write(metaFile);
    return new StagedObject(data, metaFile, sealed);
  }

  /** Closes without sealing (the process is going away; recovery will take the file). */
  void abandon() throws IOException {
    lines.flush();
    channel.close();
  }

  /** Counts the encoded bytes and forces the file on close. */
  private final class Counting extends FilterOutputStream {
    long count;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void close() throws IOException {
      out.flush();
      channel.force(true);
      out.close();
    }
  }
}
