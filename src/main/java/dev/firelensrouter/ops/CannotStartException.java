package dev.firelensrouter.ops;

/**
 * The router could not start for a reason outside its config file: a listener's address is in use
 * or not allowed, say. Its message says which part and why, for one line in the log.
 */
public final class CannotStartException extends Exception {
  private static final long serialVersionUID = 1L;

  public CannotStartException(String what, Throwable cause) {
    super(what + ": " + cause.getMessage(), cause);
  }
}
