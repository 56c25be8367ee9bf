package io.provisioninghub.scim.error;

/** 404: no such resource in the caller's tenant (other tenants' resources are never revealed). */
public class ResourceNotFoundException extends ScimException {

  public ResourceNotFoundException(String detail) {
    super(404, null, detail);
  }
}
