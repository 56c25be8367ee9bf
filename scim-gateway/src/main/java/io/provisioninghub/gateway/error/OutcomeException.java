package io.provisioninghub.gateway.error;

import io.provisioninghub.scim.error.ScimException;
import io.provisioninghub.scim.error.ScimType;

/** A write the processor refused or could not apply, answered with the status it decided. */
public class OutcomeException extends ScimException {

  public OutcomeException(int status, String scimType, String detail) {
    super(status, parse(scimType), detail);
  }

  private static ScimType parse(String scimType) {
    if (scimType == null) {
      return null;
    }
    try {
      return ScimType.valueOf(scimType);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
