package dev.firelensrouter.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faults a user switches on in the sandbox, by file or by {@code POST /_sandbox/faults}, and
 * what a client then sees: the service's own throttling error, a 500, a dropped connection, a
 * request rate cap.
 */
class ApiEmulatorFaultsTest {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final LogsEmulator logs = new LogsEmulator();
  private final FirehoseEmulator firehose = new FirehoseEmulator();
  private final S3Emulator s3 = new S3Emulator();

  @AfterEach
  void stop() {
    logs.stop();
    firehose.stop();
    s3.stop();
  }

  private HttpResponse<String> call(URI endpoint, String target, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(endpoint.resolve("/"))
            .header("Content-Type", "application/x-amz-json-1.1")
            .header("X-Amz-Target", target)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> describe(URI logsEndpoint) throws Exception {
    return call(logsEndpoint, "Logs_20140328.DescribeLogGroups", "{}");
  }

  private HttpResponse<String> postFaults(URI endpoint, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(endpoint.resolve("/_sandbox/faults"))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void faultsPostedToTheEmulatorApplyAtOnceAndReadBack() throws Exception {
    URI endpoint = logs.start(dir);
    assertThat(describe(endpoint).statusCode()).isEqualTo(200);

    HttpResponse<String> set = postFaults(endpoint, "{\"throttle\": 1.0}");
    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(set.body()).contains("\"throttle\":1.0");
    HttpResponse<String> throttled = describe(endpoint);
    assertThat(throttled.statusCode()).isEqualTo(400);
    assertThat(throttled.body()).contains("\"__type\":\"ThrottlingException\"");
    assertThat(throttled.headers().firstValue("x-amzn-RequestId")).isPresent();

    postFaults(endpoint, "{\"server_errors\": 1.0}");
    assertThat(describe(endpoint).statusCode()).isEqualTo(500);

    postFaults(endpoint, "{}");
    assertThat(describe(endpoint).statusCode()).isEqualTo(200);
    assertThat(logs.faultsInjected()).isEqualTo(2);
  }

  @Test
  void aBadFaultsBodyIsRefusedAndTheOldFaultsStay() throws Exception {
    URI endpoint = logs.start(dir);
    postFaults(endpoint, "{\"server_errors\": 1.0}");
    HttpResponse<String> bad = postFaults(endpoint, "{\"throttle\": 7}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("'throttle' must be between 0 and 1");
    assertThat(logs.faults().serverErrors()).isEqualTo(1.0);
  }

  @Test
  void anUnknownFaultKeyIsRefusedWithTheKnownOnesAndTheOldFaultsStay() throws Exception {
    URI endpoint = logs.start(dir);
    postFaults(endpoint, "{\"server_errors\": 1.0}");

    HttpResponse<String> typo = postFaults(endpoint, "{\"throtle\": 0.5}");

    assertThat(typo.statusCode()).isEqualTo(400);
    assertThat(typo.body())
        .contains("unknown fault 'throtle'")
        .contains("known: throttle, server_errors, partial_failures, resets, latency_ms");
    assertThat(logs.faults()).isEqualTo(ApiFaults.NONE.withServerErrors(1.0));
  }

  @Test
  void aFaultValueOfTheWrongTypeIsRefused() throws Exception {
    URI endpoint = logs.start(dir);

    assertThat(postFaults(endpoint, "{\"throttle\": \"0.5\"}").body())
        .contains("'throttle' must be between 0 and 1");
    assertThat(postFaults(endpoint, "{\"latency_ms\": 2.5}").body())
        .contains("'latency_ms' must be a whole number");
    assertThat(postFaults(endpoint, "[1]").statusCode()).isEqualTo(400);
    assertThat(logs.faults()).isEqualTo(ApiFaults.NONE);
  }

  @Test
  void theS3FaultsEndpointRefusesUnknownKeysAndBadRatiosToo() throws Exception {
    URI endpoint = s3.start(dir);
    postFaults(endpoint, "{\"slow_down\": 0.25}");

    HttpResponse<String> unknown = postFaults(endpoint, "{\"bogus\": 1}");
    HttpResponse<String> tooMuch = postFaults(endpoint, "{\"resets\": 2}");

    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body())
        .contains("unknown fault 'bogus'")
        .contains("known: slow_down, server_errors, resets, latency_ms, failed_completes");
    assertThat(tooMuch.statusCode()).isEqualTo(400);
    assertThat(tooMuch.body()).contains("'resets' must be between 0 and 1");
    HttpResponse<String> current =
        http.send(
            HttpRequest.newBuilder(endpoint.resolve("/_sandbox/faults")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(current.body()).contains("\"slow_down\":0.25");
  }

  @Test
  void aResetDropsTheConnectionWithoutAnAnswer() throws Exception {
    URI endpoint = logs.start(dir);
    logs.faults(ApiFaults.NONE.withResets(1.0));
    assertThatThrownBy(() -> describe(endpoint)).isInstanceOf(IOException.class);
  }

  @Test
  void firehoseThrottlesAsFirehoseDoesWhenOverItsRequestRate() throws Exception {
    URI endpoint = firehose.start(dir);
    firehose.faults(ApiFaults.NONE.withMaxRequestsPerSecond(1));
    String put = "{\"DeliveryStreamName\":\"lake\",\"Records\":[{\"Data\":\"eyJhIjoxfQo=\"}]}";
    long start = System.nanoTime();
    int accepted = 0;
    int throttled = 0;
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> r = call(endpoint, "Firehose_20150804.PutRecordBatch", put);
      if (r.statusCode() == 200) {
        accepted++;
      } else {
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("ServiceUnavailableException");
        throttled++;
      }
    }
    long secondsSpanned = (System.nanoTime() - start) / 1_000_000_000L + 1;
    // At most one request per second boundary the calls crossed went through.
    assertThat(accepted).isBetween(1, (int) secondsSpanned + 1);
    assertThat(throttled).isEqualTo(20 - accepted);
    assertThat(Files.readString(dir.resolve("firehose/lake.jsonl")).lines()).hasSize(accepted);
  }

  @Test
  void aFaultsFileSetsEveryEmulator() throws Exception {
    Path file = dir.resolve("faults.yaml");
    Files.writeString(
        file,
        """
        logs: { throttle: 0.5, latency_ms: 20 }
        firehose: { partial_failures: 0.05, max_requests_per_second: 100 }
        s3: { slow_down: 0.3, failed_completes: 1 }
        """);
    SandboxFaults f = SandboxFaults.read(file);
    assertThat(f.logs())
        .isEqualTo(ApiFaults.NONE.withThrottle(0.5).withLatency(Duration.ofMillis(20)));
    assertThat(f.firehose())
        .isEqualTo(ApiFaults.NONE.withPartialFailures(0.05).withMaxRequestsPerSecond(100));
    assertThat(f.s3()).isEqualTo(S3Faults.NONE.withSlowDown(0.3).withFailedCompletes(1));

    Files.writeString(file, "logz: { throttle: 0.5 }\n");
    assertThatThrownBy(() -> SandboxFaults.read(file))
        .hasMessageContaining("unknown section 'logz'");
  }

  @Test
  void aFaultsFileWithAnUnknownKeyIsRefusedNamingTheSection() throws Exception {
    Path file = dir.resolve("faults.yaml");
    Files.writeString(file, "logs: { throttle: 0.5 }\ns3: { slowdown: 0.3 }\n");

    assertThatThrownBy(() -> SandboxFaults.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("faults.yaml: s3: unknown fault 'slowdown' (known: slow_down,");
  }
}
