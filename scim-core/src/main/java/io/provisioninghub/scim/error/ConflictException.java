package io.provisioninghub.scim.error;

/** 409: the change would break a uniqueness rule of the tenant. */
public class ConflictException extends ScimException {

  public ConflictException(String detail) {
    super(409, ScimType.uniqueness, detail);
  }
}
