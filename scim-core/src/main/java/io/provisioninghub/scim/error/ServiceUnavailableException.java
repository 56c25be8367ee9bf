package io.provisioninghub.scim.error;

/**
 * 503: the request could not be completed now (no outcome in time, broker or database down). The
 * client should retry after the given number of seconds; a write may or may not have been applied,
 * and its retry is safe.
 */
public class ServiceUnavailableException extends ScimException {

  private final long retryAfterSeconds;

  public ServiceUnavailableException(String detail, long retryAfterSeconds, Throwable cause) {
    super(503, null, detail, cause);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
