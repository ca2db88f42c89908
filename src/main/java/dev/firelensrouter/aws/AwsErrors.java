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

  public static boolean isThrottle(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof AwsServiceException a) {
      return a.isThrottlingException() || a.statusCode() >= 500;
    }
    return e instanceof SdkException s && s.retryable();
  }

  /** Errors no retry can fix (access denied, validation). */
  public static boolean isPermanent(Throwable t) {
    Throwable e = unwrap(t);
    return e instanceof AwsServiceException a
        && a.statusCode() >= 400
        && a.statusCode() < 500
        && !a.isThrottlingException();
  }
}
