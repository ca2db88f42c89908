package dev.firelensrouter.aws;

import java.util.concurrent.CompletionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** The AWS error code (and request id) of a failure, and whether it means "slow down". */
public final class AwsErrors {
  private AwsErrors() {}

  public static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** {@code ErrorCode (request id X)} for service errors, the exception's name otherwise. */
  public static String code(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
      return a.awsErrorDetails().errorCode()
          + " (status "
          + a.statusCode()
          + ", request id "
          + a.requestId()
          + ")";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /**
   * What a failed AWS request means for each of its entries: the destination is unavailable (it
   * waits), the request is wrong for good (dead-lettered), or try again (throttled or not).
   */
  public static dev.firelensrouter.sink.EntryResult entryResult(Throwable error) {
    if (isDestinationProblem(error) || isUnreachable(error)) {
      return new dev.firelensrouter.sink.EntryResult.Unavailable(code(error));
    }
    return isPermanent(error)
        ? new dev.firelensrouter.sink.EntryResult.Fail(code(error))
        : new dev.firelensrouter.sink.EntryResult.Retry(code(error), isThrottle(error));
  }

  public static boolean isThrottle(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof AwsServiceException a) {
      return a.isThrottlingException() || a.statusCode() >= 500;
    }
    return e instanceof SdkException s && s.retryable();
  }

  /**
   * Errors about the destination or the credentials, not the request: the same request may work
   * once someone fixes the IAM policy, the group or the stream.
   */
  public static boolean isDestinationProblem(Throwable t) {
    Throwable e = unwrap(t);
    if (!(e instanceof AwsServiceException a)) {
      return false;
    }
    String code = a.awsErrorDetails() == null ? null : a.awsErrorDetails().errorCode();
    return a.statusCode() == 403 || (code != null && DESTINATION_CODES.contains(code));
  }

  /**
   * No answer at all: nothing listens, the connection broke, DNS failed. The request may never have
   * arrived; the same request can work once the endpoint is back.
   */
  public static boolean isUnreachable(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof AwsServiceException) {
      return false;
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof java.io.IOException) {
        return true;
      }
    }
    return e instanceof SdkException;
  }

  private static final java.util.Set<String> DESTINATION_CODES =
      java.util.Set.of(
          "AccessDeniedException",
          "AccessDenied",
          "UnrecognizedClientException",
          "InvalidClientTokenId",
          "InvalidSignatureException",
          "SignatureDoesNotMatch",
          "IncompleteSignature",
          "MissingAuthenticationTokenException",
          "ExpiredTokenException",
          "ExpiredToken",
          "ResourceNotFoundException",
          "KMSAccessDeniedException",
          "KMSDisabledException",
          "KMSNotFoundException",
          "InvalidKMSResourceException");

  /** Errors no retry of the same request can fix (validation, a malformed request). */
  public static boolean isPermanent(Throwable t) {
    Throwable e = unwrap(t);
    return e instanceof AwsServiceException a
        && a.statusCode() >= 400
        && a.statusCode() < 500
        && !a.isThrottlingException();
  }
}
