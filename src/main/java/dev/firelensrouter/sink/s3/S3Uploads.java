package dev.firelensrouter.sink.s3;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The S3 calls the destination makes, each reading its body straight from a staging file (so memory
 * stays bounded whatever the object size). Futures fail with the SDK's exceptions.
 */
public interface S3Uploads {
  /** One finished part of a multipart upload. */
  record Part(int number, String etag) {}

  CompletableFuture<Void> putObject(String key, Path file, long length);

  /** Starts a multipart upload; answers its upload id. */
  CompletableFuture<String> createMultipart(String key);

  /** Uploads {@code length} bytes of {@code file} from {@code offset}; answers the part's ETag. */
  CompletableFuture<String> uploadPart(
      String key, String uploadId, int partNumber, Path file, long offset, long length);

  /** Uploads one part held in memory (a slice of a staging file that is still growing). */
  CompletableFuture<String> uploadPart(
      String key, String uploadId, int partNumber, java.nio.ByteBuffer bytes);

  CompletableFuture<Void> complete(String key, String uploadId, List<Part> parts);

  CompletableFuture<Void> abort(String key, String uploadId);

  /** The output is draining: calls go at once from now on (no pacing). */
  default void draining() {}
}
