package io.provisioninghub.scim.error;

/** 413: the request body is over the advertised size limit. */
public class PayloadTooLargeException extends ScimException {

  public PayloadTooLargeException(String detail) {
    super(413, null, detail);
  }
}
