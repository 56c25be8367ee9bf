package io.provisioninghub.scim.error;

/** 412: the resource changed since the version the client named in If-Match. */
public class PreconditionFailedException extends ScimException {

  public PreconditionFailedException(String detail) {
    super(412, null, detail);
  }
}
