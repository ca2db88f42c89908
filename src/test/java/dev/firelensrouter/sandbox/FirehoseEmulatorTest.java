package dev.firelensrouter.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseAsyncClient;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * The sandbox Firehose as the real SDK sees it: every PutRecordBatch limit at its edge and one past
 * it, what it keeps, and the shape of a partial failure.
 */
class FirehoseEmulatorTest {
  @TempDir Path dir;
  private final FirehoseEmulator firehose = new FirehoseEmulator();
  private URI endpoint;
  private FirehoseAsyncClient client;

  /** One HTTP client for the class: closing one waits out Netty's two-second quiet period. */
  private static SdkAsyncHttpClient http;

  @BeforeAll
  static void http() {
    http = NettyNioAsyncHttpClient.create();
  }

  @AfterAll
  static void closeHttp() {
    http.close();
  }

  @BeforeEach
  void start() throws Exception {
    endpoint = firehose.start(dir);
    client =
        FirehoseAsyncClient.builder()
            .httpClient(http)
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    firehose.stop();
  }

  private static List<Record> records(int count, int size) {
    List<Record> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] data = new byte[size];
      Arrays.fill(data, (byte) ('a' + i % 26));
      if (size > 0) {
        data[size - 1] = '\n';
      }
      out.add(Record.builder().data(SdkBytes.fromByteArray(data)).build());
    }
    return out;
  }

  private PutRecordBatchResponse put(String stream, List<Record> records) {
    return client.putRecordBatch(r -> r.deliveryStreamName(stream).records(records)).join();
  }

  private static FirehoseException refused(Runnable call) {
    CompletionException e =
        org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, call::run);
    assertThat(e.getCause()).isInstanceOf(FirehoseException.class);
    return (FirehoseException) e.getCause();
  }

  private byte[] stored(String stream) throws Exception {
    Path file = dir.resolve("firehose").resolve(stream + ".jsonl");
    return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
  }

  @Test
  void fiveHundredRecordsAreTakenAndKeptInOrderAsSent() throws Exception {
    PutRecordBatchResponse r = put("lake", records(500, 100));

    assertThat(r.failedPutCount()).isZero();
    assertThat(r.requestResponses()).hasSize(500);
    Set<String> ids = new HashSet<>();
    for (PutRecordBatchResponseEntry e : r.requestResponses()) {
      assertThat(e.errorCode()).isNull();
      ids.add(e.recordId());
    }
    assertThat(ids).as("every record gets its own id").hasSize(500);
    byte[] expected = new byte[500 * 100];
    for (int i = 0; i < 500; i++) {
      Arrays.fill(expected, i * 100, i * 100 + 99, (byte) ('a' + i % 26));
      expected[i * 100 + 99] = '\n';
    }
    assertThat(stored("lake")).isEqualTo(expected);
    assertThat(firehose.calls()).isEqualTo(1);
    assertThat(firehose.records()).isEqualTo(500);
    assertThat(firehose.largestCallRecords()).isEqualTo(500);
  }

  @Test
  void fiveHundredAndOneRecordsAreRefusedAndNothingIsKept() throws Exception {
    FirehoseException e = refused(() -> put("lake", records(501, 10)));

    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
    assertThat(e.awsErrorDetails().errorMessage()).contains("500");
    assertThat(stored("lake")).isEmpty();
    assertThat(firehose.calls()).isZero();
  }

  @Test
  void anEmptyBatchIsRefused() {
    FirehoseException e = refused(() -> put("lake", List.of()));

    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
  }

  @Test
  void aRecordOf1000KibIsTakenAndOneByteMoreRefusesTheWholeCall() throws Exception {
    List<Record> atLimit = records(1, FirehoseEmulator.MAX_RECORD);
    assertThat(put("lake", atLimit).failedPutCount()).isZero();
    assertThat(stored("lake")).hasSize(FirehoseEmulator.MAX_RECORD);

    List<Record> over = new ArrayList<>(records(2, 10));
    over.addAll(records(1, FirehoseEmulator.MAX_RECORD + 1));
    FirehoseException e = refused(() -> put("lake", over));

    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
    assertThat(e.awsErrorDetails().errorMessage())
        .contains("records.3.member.data")
        .contains("1024000");
    assertThat(stored("lake"))
        .as("nothing of the refused call")
        .hasSize(FirehoseEmulator.MAX_RECORD);
  }

  @Test
  void aRequestOver4MibIsRefusedWhateverItsRecords() throws Exception {
    // Five records of 800,000 bytes: each within its limit, 4,000,000 bytes before base64 and
    // about 5.3 MB on the wire.
    FirehoseException e = refused(() -> put("lake", records(5, 800_000)));

    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgumentException");
    assertThat(stored("lake")).isEmpty();

    // Three of them are about 3.2 MB on the wire: taken.
    assertThat(put("lake", records(3, 800_000)).failedPutCount()).isZero();
    assertThat(firehose.largestCallBytes())
        .isBetween(3_000_000L, (long) FirehoseEmulator.MAX_REQUEST);
  }

  @Test
  void dataThatIsNotBase64IsASerializationError() throws Exception {
    HttpResponse<String> r =
        raw(
            "{\"DeliveryStreamName\":\"lake\",\"Records\":[{\"Data\":\"eyJh\"},{\"Data\":\"not base64!\"}]}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("SerializationException");
    assertThat(stored("lake")).isEmpty();
  }

  @Test
  void aRecordWithoutDataIsAValidationError() throws Exception {
    HttpResponse<String> r =
        raw("{\"DeliveryStreamName\":\"lake\",\"Records\":[{\"Data\":\"eyJh\"},{}]}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("ValidationException").contains("records.2.member.data");
    assertThat(stored("lake")).isEmpty();
  }

  @Test
  void membersInAnyOrderAndUnknownMembersAreRead() throws Exception {
    HttpResponse<String> r =
        raw(
            "{\"Records\":[{\"Extra\":{\"a\":[1,2]},\"Data\":\"eyJh\"}],"
                + "\"Unknown\":null,\"DeliveryStreamName\":\"lake\"}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"FailedPutCount\":0");
    assertThat(new String(stored("lake"), StandardCharsets.UTF_8)).isEqualTo("{\"a");
  }

  @Test
  void dataWithJsonEscapesIsDecodedAfterTheEscapesAreRead() throws Exception {
    // JSON lets a sender write "/" as "\/"; the SDK does not, but the service reads either.
    HttpResponse<String> r =
        raw(
            "{\"DeliveryStreamName\":\"lake\",\"Records\":[{\"Data\":\"ab\\/w\"},"
                + "{\"Data\":\"ab/w\"}]}");

    assertThat(r.statusCode()).isEqualTo(200);
    byte[] one = java.util.Base64.getDecoder().decode("ab/w");
    assertThat(stored("lake"))
        .isEqualTo(new byte[] {one[0], one[1], one[2], one[0], one[1], one[2]});
  }

  @Test
  void aStreamThatDoesNotExistIsNotFound() throws Exception {
    firehose.onlyStreams(Set.of("lake"));

    FirehoseException e = refused(() -> put("other", records(1, 10)));

    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException");
    assertThat(put("lake", records(1, 10)).failedPutCount()).isZero();
    assertThat(stored("other")).isEmpty();
  }

  @Test
  void partialFailuresAnswer200WithAnErrorCodeInTheFailedRecordsPlaceOnly() throws Exception {
    firehose.partialFailures(0.3);
    List<Record> sent = records(500, 8);

    PutRecordBatchResponse r = put("lake", sent);

    List<Integer> failed =
        IntStream.range(0, 500)
            .filter(i -> r.requestResponses().get(i).errorCode() != null)
            .boxed()
            .toList();
    assertThat(r.failedPutCount()).isEqualTo(failed.size()).isBetween(100, 200);
    for (int i : failed) {
      PutRecordBatchResponseEntry entry = r.requestResponses().get(i);
      assertThat(entry.errorCode()).isEqualTo("ServiceUnavailableException");
      assertThat(entry.recordId()).isNull();
    }
    // What is kept is exactly the records that did not fail, in order.
    java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < 500; i++) {
      if (!failed.contains(i)) {
        expected.write(sent.get(i).data().asByteArray());
      }
    }
    assertThat(stored("lake")).isEqualTo(expected.toByteArray());
    assertThat(firehose.records()).isEqualTo(500 - failed.size());
  }

  @Test
  void putRecordKeepsOneRecord() throws Exception {
    String id =
        client
            .putRecord(
                r ->
                    r.deliveryStreamName("lake")
                        .record(Record.builder().data(SdkBytes.fromUtf8String("one\n")).build()))
            .join()
            .recordId();

    assertThat(id).isNotBlank();
    assertThat(new String(stored("lake"), StandardCharsets.UTF_8)).isEqualTo("one\n");
  }

  @Test
  void withSignaturesCheckedARequestSignedWithTheKnownCredentialsIsTaken() throws Exception {
    firehose.verifySignatures(AwsBasicCredentials.create("test", "test"));

    assertThat(put("lake", records(3, 100)).failedPutCount()).isZero();
    assertThat(stored("lake")).hasSize(300);
  }

  @Test
  void withSignaturesCheckedAnotherSecretOrKeyIsRefusedAsAwsRefusesIt() throws Exception {
    firehose.verifySignatures(AwsBasicCredentials.create("test", "other-secret"));
    FirehoseException wrongSecret = refused(() -> put("lake", records(1, 10)));
    assertThat(wrongSecret.statusCode()).isEqualTo(403);
    assertThat(wrongSecret.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");

    firehose.verifySignatures(AwsBasicCredentials.create("other-key", "test"));
    FirehoseException wrongKey = refused(() -> put("lake", records(1, 10)));
    assertThat(wrongKey.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
    assertThat(stored("lake")).isEmpty();
  }

  @Test
  void withSignaturesCheckedABodyOtherThanTheOneSignedIsRefused() throws Exception {
    firehose.verifySignatures(AwsBasicCredentials.create("test", "test"));
    String signed = "{\"DeliveryStreamName\":\"lake\",\"Records\":[{\"Data\":\"eyJh\"}]}";
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(endpoint.resolve("/"))
            .putHeader("Content-Type", "application/x-amz-json-1.1")
            .putHeader("X-Amz-Target", "Firehose_20150804.PutRecordBatch")
            .build();
    SdkHttpRequest signedRequest =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsBasicCredentials.create("test", "test"))
                        .request(request)
                        .payload(ContentStreamProvider.fromUtf8String(signed))
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "firehose"))
            .request();

    assertThat(send(signedRequest, signed).statusCode()).isEqualTo(200);
    HttpResponse<String> altered = send(signedRequest, signed.replace("eyJh", "eyJi"));

    assertThat(altered.statusCode()).isEqualTo(403);
    assertThat(altered.body()).contains("InvalidSignatureException");
    assertThat(new String(stored("lake"), StandardCharsets.UTF_8)).isEqualTo("{\"a");
  }

  private HttpResponse<String> send(SdkHttpRequest signed, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(signed.getUri());
    signed.forEachHeader(
        (name, values) -> {
          if (!name.equalsIgnoreCase("Host")) {
            values.forEach(v -> b.header(name, v));
          }
        });
    return HttpClient.newHttpClient()
        .send(
            b.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> raw(String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(endpoint.resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Firehose_20150804.PutRecordBatch")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
