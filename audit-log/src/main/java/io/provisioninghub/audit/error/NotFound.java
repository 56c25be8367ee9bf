package io.provisioninghub.audit.error;

/** The tenant has no such audited operation. */
public class NotFound extends RuntimeException {

  public NotFound(String message) {
    super(message);
  }
}
