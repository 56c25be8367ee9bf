package io.provisioninghub.scim.error;

/** 429: the tenant is over its rate limit; retry after the given number of seconds. */
public class TooManyRequestsException extends ScimException {

  private final long retryAfterSeconds;

  public TooManyRequestsException(String detail, long retryAfterSeconds) {
    super(429, null, detail);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
