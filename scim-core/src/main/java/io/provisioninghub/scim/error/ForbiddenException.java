package io.provisioninghub.scim.error;

/** 403: the caller is known but may not do this (e.g. a suspended tenant). */
public class ForbiddenException extends ScimException {

  public ForbiddenException(String detail) {
    super(403, null, detail);
  }
}
