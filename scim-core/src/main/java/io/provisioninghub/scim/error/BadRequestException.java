package io.provisioninghub.scim.error;

/** 400: the request is wrong as sent; the {@link ScimType} says how. Nothing was changed. */
public class BadRequestException extends ScimException {

  public BadRequestException(ScimType scimType, String detail) {
    super(400, scimType, detail);
  }

  public BadRequestException(ScimType scimType, String detail, Throwable cause) {
    super(400, scimType, detail, cause);
  }
}
