package dev.firelensrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.aws.AwsClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --sandbox} checks the signature of every CloudWatch Logs and Firehose call against the
 * credentials its outputs sign with; the {@code sandbox} command takes any.
 */
class SandboxSignaturesTest {
  @TempDir Path dir;

  private static HttpResponse<String> unsigned(URI endpoint, String target) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(endpoint.resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", target)
                .POST(HttpRequest.BodyPublishers.ofString("{\"DeliveryStreamName\":\"lake\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void underRunAnUnsignedCallIsRefusedAsAwsRefusesIt() throws Exception {
    try (Sandbox s = Sandbox.startIf(dir, AwsClients.SANDBOX_CREDENTIALS)) {
      HttpResponse<String> logs =
          unsigned(s.endpoints().get("logs"), "Logs_20140328.DescribeLogGroups");
      HttpResponse<String> firehose =
          unsigned(s.endpoints().get("firehose"), "Firehose_20150804.DescribeDeliveryStream");

      assertThat(logs.statusCode()).isEqualTo(400);
      assertThat(logs.body()).contains("MissingAuthenticationTokenException");
      assertThat(firehose.statusCode()).isEqualTo(400);
      assertThat(firehose.body()).contains("MissingAuthenticationTokenException");
    }
  }

  @Test
  void theSandboxCommandTakesCallsFromAnyClient() throws Exception {
    try (Sandbox s = Sandbox.startIf(dir, null)) {
      HttpResponse<String> firehose =
          unsigned(s.endpoints().get("firehose"), "Firehose_20150804.DescribeDeliveryStream");

      assertThat(firehose.statusCode()).isEqualTo(200);
      assertThat(firehose.body()).contains("ACTIVE");
    }
  }
}
