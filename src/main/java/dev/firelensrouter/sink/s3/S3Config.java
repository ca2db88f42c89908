package dev.firelensrouter.sink.s3;

import java.time.Duration;
import java.util.Optional;

/**
 * The validated options of one {@code type: s3} output.
 *
 * @param key the object key template (see {@link S3Keys})
 * @param maxObjectSize an object closes when its encoded (compressed) bytes reach this
 * @param uploadAfter an object closes when its first record is this old
 * @param messageKey the field written per line when {@code format} is {@code message}
 * @param multipartThreshold objects of at least this many bytes go up as multipart uploads
 * @param partSize bytes per multipart part (at least 5 MiB)
 * @param maxAttempts attempts of one upload step failing for a reason tied to the object (not the
 *     bucket or the network) before the object is dead-lettered
 */
public record S3Config(
    String bucket,
    String key,
    Compression compression,
    long maxObjectSize,
    Duration uploadAfter,
    Format format,
    String messageKey,
    String contentType,
    Optional<String> storageClass,
    Optional<String> serverSideEncryption,
    Optional<String> kmsKeyId,
    S3ClientOptions client,
    Fsync fsync,
    long maxDisk,
    boolean blockWhenFull,
    long multipartThreshold,
    long partSize,
    int maxAttempts) {

  /** How a record becomes a line. */
  public enum Format {
    /** The whole record as one JSON object per line. */
    JSONL,
    /** The text of {@code message_key} per line. */
    MESSAGE
  }

  /** When staged bytes are forced to disk before the chunk is acked. */
  public enum Fsync {
    /** Once per ring batch, before the batch's chunks are released. */
    BATCH,
    /** After every record. */
    ALWAYS,
    /** Flushed to the operating system only. */
    NEVER
  }

  public static final long MIN_PART = 5L * 1024 * 1024;
}
