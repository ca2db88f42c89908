package dev.firelensrouter.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The sandbox S3 as the real SDK (default checksums, aws-chunked bodies) sees it. */
class S3EmulatorTest {
  @TempDir Path dir;
  private final S3Emulator s3 = new S3Emulator();
  private S3AsyncClient client;
  private URI endpoint;

  @BeforeEach
  void start() throws Exception {
    endpoint = s3.start(dir);
    client =
        S3AsyncClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .forcePathStyle(true)
            .serviceConfiguration(S3Configuration.builder().expectContinueEnabled(false).build())
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
    client.createBucket(r -> r.bucket("bkt")).join();
  }

  @AfterEach
  void stop() {
    client.close();
    s3.stop();
  }

  @Test
  void anObjectPutWithChecksumTrailersIsStoredAsAFileUnderItsKey() throws Exception {
    client
        .putObject(r -> r.bucket("bkt").key("a/b c.txt"), AsyncRequestBody.fromString("hello"))
        .join();

    assertThat(Files.readString(dir.resolve("s3/bkt/a/b c.txt"))).isEqualTo("hello");
    assertThat(client.listObjectsV2(r -> r.bucket("bkt")).join().contents())
        .extracting(o -> o.key())
        .containsExactly("a/b c.txt");
    assertThat(client.headObject(r -> r.bucket("bkt").key("a/b c.txt")).join().contentLength())
        .isEqualTo(5);
  }

  @Test
  void completeRefusesPartsUnderFiveMebibytesExceptTheLast() {
    String id = client.createMultipartUpload(r -> r.bucket("bkt").key("k")).join().uploadId();
    String e1 = part(id, 1, "small");
    String e2 = part(id, 2, "last");

    assertThatThrownBy(
            () ->
                client
                    .completeMultipartUpload(
                        r ->
                            r.bucket("bkt")
                                .key("k")
                                .uploadId(id)
                                .multipartUpload(
                                    m ->
                                        m.parts(
                                            CompletedPart.builder().partNumber(1).eTag(e1).build(),
                                            CompletedPart.builder()
                                                .partNumber(2)
                                                .eTag(e2)
                                                .build())))
                    .join())
        .hasCauseInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(code(e)).isEqualTo("EntityTooSmall"));
  }

  @Test
  void aSinglePartUploadCompletesAndAnUnknownUploadIsNoSuchUpload() {
    String id = client.createMultipartUpload(r -> r.bucket("bkt").key("k")).join().uploadId();
    String e1 = part(id, 1, "only part");
    client
        .completeMultipartUpload(
            r ->
                r.bucket("bkt")
                    .key("k")
                    .uploadId(id)
                    .multipartUpload(
                        m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build())))
        .join();

    assertThat(dir.resolve("s3/bkt/k")).hasContent("only part");
    assertThatThrownBy(() -> part(id, 2, "late"))
        .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchUpload"));
  }

  @Test
  void multipartUploadsStayOpenUntilCompletedOrAborted() {
    String done = client.createMultipartUpload(r -> r.bucket("bkt").key("k")).join().uploadId();
    String dropped = client.createMultipartUpload(r -> r.bucket("bkt").key("k")).join().uploadId();
    String e1 = part(done, 1, "only part");
    part(dropped, 1, "orphan");
    assertThat(s3.openMultipartUploads()).isEqualTo(2);

    client
        .completeMultipartUpload(
            r ->
                r.bucket("bkt")
                    .key("k")
                    .uploadId(done)
                    .multipartUpload(
                        m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build())))
        .join();
    assertThat(s3.openMultipartUploads()).isEqualTo(1);

    client.abortMultipartUpload(r -> r.bucket("bkt").key("k").uploadId(dropped)).join();
    assertThat(s3.openMultipartUploads()).isZero();
  }

  @Test
  void aMissingBucketAnswersNoSuchBucketWithARequestId() {
    assertThatThrownBy(
            () ->
                client
                    .putObject(r -> r.bucket("nope").key("k"), AsyncRequestBody.fromString("x"))
                    .join())
        .satisfies(
            e -> {
              assertThat(code(e)).isEqualTo("NoSuchBucket");
              assertThat(((S3Exception) e.getCause()).requestId()).isNotBlank();
            });
  }

  @Test
  void injectedResetsAndSlowDownReachTheClient() {
    s3.faults(S3Faults.NONE.withResets(1.0));
    assertThatThrownBy(() -> part("x", 1, "x")).hasCauseInstanceOf(SdkClientException.class);

    s3.faults(S3Faults.NONE.withSlowDown(1.0));
    assertThatThrownBy(() -> part("x", 1, "x"))
        .satisfies(e -> assertThat(code(e)).isEqualTo("SlowDown"));
  }

  @Test
  void aKeyWithASegmentLongerThanAFileNameRoundTrips() {
    String key = "logs/" + "\u00e9".repeat(450) + "/x.gz"; // a 900-byte segment, 910 in all

    client.putObject(r -> r.bucket("bkt").key(key), AsyncRequestBody.fromString("long")).join();

    assertThat(get(key)).isEqualTo("long");
    assertThat(keys("logs/")).containsExactly(key);
    client.deleteObject(r -> r.bucket("bkt").key(key)).join();
    assertThat(keys("")).isEmpty();
    // Deleting it again is no error, as in S3.
    client.deleteObject(r -> r.bucket("bkt").key(key)).join();
  }

  @Test
  void aKeyWithASegmentLongerThanAFileNameCompletesAsMultipart() {
    String key = "a".repeat(900) + "/part.gz";
    String id = client.createMultipartUpload(r -> r.bucket("bkt").key(key)).join().uploadId();
    String e1 =
        client
            .uploadPart(
                r -> r.bucket("bkt").key(key).uploadId(id).partNumber(1),
                AsyncRequestBody.fromString("only part"))
            .join()
            .eTag();

    client
        .completeMultipartUpload(
            r ->
                r.bucket("bkt")
                    .key(key)
                    .uploadId(id)
                    .multipartUpload(
                        m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build())))
        .join();

    assertThat(get(key)).isEqualTo("only part");
    assertThat(keys("")).containsExactly(key);
    assertThat(s3.openMultipartUploads()).isZero();
  }

  @Test
  void keysThatAreNoUsablePathAreStoredBesideOrdinaryOnes() {
    List<String> keys = List.of("a", "a/b", "a//b", "dir/", ".env", "x/.hidden");
    for (String key : keys) {
      client.putObject(r -> r.bucket("bkt").key(key), AsyncRequestBody.fromString(key)).join();
    }

    for (String key : keys) {
      assertThat(get(key)).isEqualTo(key);
    }
    assertThat(keys("")).containsExactlyElementsOf(keys.stream().sorted().toList());
    assertThat(dir.resolve("s3/bkt/a")).hasContent("a");
  }

  @Test
  void dotSegmentsAreKeysOfTheirOwnNotPathsOutOfTheBucket() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String key : List.of("../escape", "a/./b", "a/../b", "b")) {
      HttpResponse<String> put =
          http.send(
              HttpRequest.newBuilder(URI.create(endpoint + "/bkt/" + key))
                  .PUT(HttpRequest.BodyPublishers.ofString(key))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).as(key).isEqualTo(200);
    }

    assertThat(keys("")).containsExactly("../escape", "a/../b", "a/./b", "b");
    assertThat(get("a/../b")).isEqualTo("a/../b");
    assertThat(get("b")).isEqualTo("b");
    assertThat(dir.resolve("escape")).doesNotExist();
  }

  @Test
  void aSegmentOf220BytesIsStoredOverPlainHttp() throws Exception {
    String key = "a".repeat(220);
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(endpoint + "/bkt/" + key))
                    .PUT(HttpRequest.BodyPublishers.ofString("x"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(dir.resolve("s3/bkt/" + key)).hasContent("x");
  }

  @Test
  void aKeyOverTheLimitIsStillKeyTooLong() {
    String key = "k/" + "a".repeat(1023);

    assertThatThrownBy(
            () ->
                client
                    .putObject(r -> r.bucket("bkt").key(key), AsyncRequestBody.fromString("x"))
                    .join())
        .satisfies(e -> assertThat(code(e)).isEqualTo("KeyTooLongError"));
  }

  @Test
  void aFailureOfTheEmulatorIsAnsweredInternalError() throws Exception {
    FileTrees.delete(dir.resolve("s3-tmp"));

    assertThatThrownBy(
            () ->
                client
                    .putObject(r -> r.bucket("bkt").key("k"), AsyncRequestBody.fromString("x"))
                    .join())
        .satisfies(
            e -> {
              assertThat(code(e)).isEqualTo("InternalError");
              assertThat(((S3Exception) e.getCause()).statusCode()).isEqualTo(500);
            });
  }

  private String get(String key) {
    return client
        .getObject(r -> r.bucket("bkt").key(key), AsyncResponseTransformer.toBytes())
        .join()
        .asUtf8String();
  }

  private List<String> keys(String prefix) {
    return client.listObjectsV2(r -> r.bucket("bkt").prefix(prefix)).join().contents().stream()
        .map(o -> o.key())
        .toList();
  }

  private String part(String uploadId, int n, String text) {
    return client
        .uploadPart(
            r -> r.bucket("bkt").key("k").uploadId(uploadId).partNumber(n),
            AsyncRequestBody.fromBytes(text.getBytes(StandardCharsets.UTF_8)))
        .join()
        .eTag();
  }

  private static String code(Throwable e) {
    Throwable c = e instanceof CompletionException ? e.getCause() : e;
    return ((S3Exception) c).awsErrorDetails().errorCode();
  }
}
