package io.provisioninghub.audit.error;

/** The support token is limited to other tenants than the one asked for. */
public class TenantNotAllowed extends RuntimeException {

  public TenantNotAllowed(String message) {
    super(message);
  }
}
