package dev.firelensrouter.sink.s3;

import java.util.Set;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * What a failed S3 call means for the object being uploaded. Errors about the bucket, the account
 * or the network are retried without limit (the data stays staged and {@code max_disk} applies);
 * errors about the object itself count toward {@code max_attempts}; a lost multipart upload starts
 * over.
 */
record S3Failure(Kind kind, String code, String requestId, String message) {
  enum Kind {
    /** Throttling, 5xx, I/O: retry. */
    TRANSIENT,
    /** Throttled by S3 ({@code SlowDown}, 503). */
    THROTTLED,
    /** Missing bucket, access denied, wrong region, bad credentials: retry, report failing. */
    DESTINATION,
    /** The multipart upload is gone or its parts are wrong: abort and upload again. */
    RESTART,
    /** Anything else about this object: counts toward {@code max_attempts}. */
    OBJECT
  }

  private static final Set<String> DESTINATION_CODES =
      Set.of(
          "NoSuchBucket",
          "AccessDenied",
          "AllAccessDisabled",
          "PermanentRedirect",
          "AuthorizationHeaderMalformed",
          "IllegalLocationConstraintException",
          "InvalidAccessKeyId",
          "SignatureDoesNotMatch",
          "ExpiredToken",
          "InvalidToken",
          "AccountProblem",
          "KMS.NotFoundException",
          "KMS.DisabledException");
  private static final Set<String> RESTART_CODES =
      Set.of("NoSuchUpload", "InvalidPart", "InvalidPartOrder", "EntityTooSmall");

  static S3Failure of(Throwable t) {
    Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (e instanceof AwsServiceException s) {
      String code =
          s.awsErrorDetails() != null && s.awsErrorDetails().errorCode() != null
              ? s.awsErrorDetails().errorCode()
              : "HTTP" + s.statusCode();
      String msg =
          s.awsErrorDetails() != null && s.awsErrorDetails().errorMessage() != null
              ? s.awsErrorDetails().errorMessage()
              : String.valueOf(s.getMessage());
      Kind kind;
      if (RESTART_CODES.contains(code)) {
        kind = Kind.RESTART;
      } else if (DESTINATION_CODES.contains(code)
          || s.statusCode() == 301
          || s.statusCode() == 403) {
        kind = Kind.DESTINATION;
      } else if (s.isThrottlingException() || code.equals("SlowDown") || s.statusCode() == 503) {
        kind = Kind.THROTTLED;
      } else if (s.statusCode() >= 500 || s.retryable()) {
        kind = Kind.TRANSIENT;
      } else if (s.statusCode() == 404 && code.startsWith("HTTP")) {
        kind = Kind.DESTINATION;
      } else {
        kind = Kind.OBJECT;
      }
      return new S3Failure(kind, code, String.valueOf(s.requestId()), msg);
    }
    return new S3Failure(
        Kind.TRANSIENT, e.getClass().getSimpleName(), "-", String.valueOf(e.getMessage()));
  }

  /** For logs and {@code /routes}: code, request id, message. */
  String describe() {
    return code + " (request id " + requestId + "): " + message;
  }
}
