package dev.firelensrouter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.sink.EntryResult;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What each kind of AWS failure means for the records of the request: a destination problem keeps
 * them (the output waits), a throttle slows down, a malformed request dead-letters them.
 */
class AwsErrorsTest {
  private static AwsServiceException service(int status, String code) {
    return AwsServiceException.builder()
        .statusCode(status)
        .requestId("req-1")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build())
        .build();
  }

  @Test
  void missingCredentialsKeepTheRecordsUntilSomeoneFixesTheTaskRole() {
    SdkClientException noCredentials =
        SdkClientException.create(
            "Unable to load credentials from any of the providers in the chain");
    assertThat(AwsErrors.entryResult(new CompletionException(noCredentials)))
        .isInstanceOf(EntryResult.Unavailable.class);
  }

  @Test
  void accessDeniedExpiredTokensAndMissingResourcesKeepTheRecords() {
    for (String code :
        new String[] {
          "AccessDeniedException", "ExpiredTokenException", "ResourceNotFoundException"
        }) {
      assertThat(AwsErrors.entryResult(service(400, code)))
          .as(code)
          .isInstanceOf(EntryResult.Unavailable.class);
    }
    assertThat(AwsErrors.entryResult(service(403, "Forbidden")))
        .isInstanceOf(EntryResult.Unavailable.class);
  }

  @Test
  void aBrokenConnectionIsAnUnreachableDestinationNotABadRequest() {
    SdkClientException reset =
        SdkClientException.builder()
            .message("Unable to execute HTTP request")
            .cause(new IOException("Connection reset by peer"))
            .build();
    assertThat(AwsErrors.entryResult(reset)).isInstanceOf(EntryResult.Unavailable.class);
  }

  @Test
  void throttlingAndServerErrorsRetryAndSlowDown() {
    assertThat(AwsErrors.entryResult(service(400, "ThrottlingException")))
        .isEqualTo(
            new EntryResult.Retry("ThrottlingException (status 400, request id req-1)", true));
    assertThat(AwsErrors.entryResult(service(503, "ServiceUnavailableException")))
        .isInstanceOfSatisfying(EntryResult.Retry.class, r -> assertThat(r.throttled()).isTrue());
  }

  @Test
  void aRequestTheServiceCallsInvalidIsDeadLetteredWithItsCodeAndRequestId() {
    assertThat(AwsErrors.entryResult(service(400, "InvalidParameterException")))
        .isEqualTo(
            new EntryResult.Fail("InvalidParameterException (status 400, request id req-1)"));
  }
}
