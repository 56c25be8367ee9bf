package io.provisioninghub.scim.error;

/** 401: no credential, or one that is not valid for any active tenant. */
public class UnauthorizedException extends ScimException {

  public UnauthorizedException(String detail) {
    super(401, null, detail);
  }
}
