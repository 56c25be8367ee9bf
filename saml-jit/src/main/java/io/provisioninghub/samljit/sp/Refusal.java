package io.provisioninghub.samljit.sp;

/**
 * A sign-in refused: an HTTP status and a stable reason code (saml-jit/README.md lists them). The
 * message is for the log and the page; it never holds the assertion or attribute values.
 */
public class Refusal extends RuntimeException {

  public final int status;
  public final String reason;

  /** For a 429: when to come back, in seconds (0: no Retry-After). */
  public final long retryAfterSeconds;

  public Refusal(int status, String reason, String message) {
    this(status, reason, message, 0);
  }

  public Refusal(int status, String reason, String message, long retryAfterSeconds) {
    super(message);
    this.status = status;
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
