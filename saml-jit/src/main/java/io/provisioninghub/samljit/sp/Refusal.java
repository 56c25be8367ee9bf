package io.provisioninghub.samljit.sp;

/**
 * A sign-in refused: an HTTP status and a stable reason code (saml-jit/README.md lists them). The
 * message is for the log and the page; it never holds the assertion or attribute values.
 */
public class Refusal extends RuntimeException {

  public final int status;
  public final String reason;

  public Refusal(int status, String reason, String message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}
