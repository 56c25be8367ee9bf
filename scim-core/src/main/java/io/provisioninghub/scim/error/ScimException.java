package io.provisioninghub.scim.error;

/**
 * A failure a SCIM client must be told about, as RFC 7644 section 3.12 defines it. Each subclass is
 * one kind of failure; the gateway maps the family once to the SCIM error body.
 */
public abstract class ScimException extends RuntimeException {

  private final int status;
  private final ScimType scimType;

  protected ScimException(int status, ScimType scimType, String detail) {
    super(detail);
    this.status = status;
    this.scimType = scimType;
  }

  protected ScimException(int status, ScimType scimType, String detail, Throwable cause) {
    super(detail, cause);
    this.status = status;
    this.scimType = scimType;
  }

  public int status() {
    return status;
  }

  /** The RFC 7644 {@code scimType}, or null where the RFC defines none for this status. */
  public ScimType scimType() {
    return scimType;
  }

  public String detail() {
    return getMessage();
  }
}
