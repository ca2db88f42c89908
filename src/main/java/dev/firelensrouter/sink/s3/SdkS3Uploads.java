package dev.firelensrouter.sink.s3;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.FileRequestBodyConfiguration;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** {@link S3Uploads} on an SDK v2 {@link S3AsyncClient}, with the output's object settings. */
final class SdkS3Uploads implements S3Uploads {
  private final S3AsyncClient client;
  private final S3Config config;

  SdkS3Uploads(S3AsyncClient client, S3Config config) {
    this.client = client;
    this.config = config;
  }

  @Override
  public CompletableFuture<Void> putObject(String key, Path file, long length) {
    PutObjectRequest.Builder b =
        PutObjectRequest.builder()
            .bucket(config.bucket())
            .key(key)
            .contentType(config.contentType())
            .contentLength(length);
    config.storageClass().ifPresent(b::storageClass);
    config.serverSideEncryption().ifPresent(b::serverSideEncryption);
    config.kmsKeyId().ifPresent(b::ssekmsKeyId);
    return client.putObject(b.build(), body(file, 0, length)).thenApply(r -> null);
  }

  @Override
  public CompletableFuture<String> createMultipart(String key) {
    CreateMultipartUploadRequest.Builder b =
        CreateMultipartUploadRequest.builder()
            .bucket(config.bucket())
            .key(key)
            .contentType(config.contentType());
    config.storageClass().ifPresent(b::storageClass);
    config.serverSideEncryption().ifPresent(b::serverSideEncryption);
    config.kmsKeyId().ifPresent(b::ssekmsKeyId);
    return client.createMultipartUpload(b.build()).thenApply(r -> r.uploadId());
  }

  @Override
  public CompletableFuture<String> uploadPart(
      String key, String uploadId, int partNumber, Path file, long offset, long length) {
    return client
        .uploadPart(
            r ->
                r.bucket(config.bucket())
                    .key(key)
                    .uploadId(uploadId)
                    .partNumber(partNumber)
                    .contentLength(length),
            body(file, offset, length))
        .thenApply(r -> r.eTag());
  }

  @Override
  public CompletableFuture<String> uploadPart(
      String key, String uploadId, int partNumber, java.nio.ByteBuffer bytes) {
    return client
        .uploadPart(
            r ->
                r.bucket(config.bucket())
                    .key(key)
                    .uploadId(uploadId)
                    .partNumber(partNumber)
                    .contentLength((long) bytes.remaining()),
            AsyncRequestBody.fromByteBuffer(bytes))
        .thenApply(r -> r.eTag());
  }

  @Override
  public CompletableFuture<Void> complete(String key, String uploadId, List<Part> parts) {
    List<CompletedPart> done =
        parts.stream()
            .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build())
            .toList();
    return client
        .completeMultipartUpload(
            r ->
                r.bucket(config.bucket())
                    .key(key)
                    .uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(done).build()))
        .thenApply(r -> null);
  }

  @Override
  public CompletableFuture<Void> abort(String key, String uploadId) {
    return client
        .abortMultipartUpload(r -> r.bucket(config.bucket()).key(key).uploadId(uploadId))
        .thenApply(r -> null);
  }

  private static AsyncRequestBody body(Path file, long offset, long length) {
    return AsyncRequestBody.fromFile(
        FileRequestBodyConfiguration.builder()
            .path(file)
            .position(offset)
            .numBytesToRead(length)
            .build());
  }
}
