package io.provisioninghub.gateway.http;

/** Media types of the SCIM API. */
public final class ScimMediaType {

  /** RFC 7644 section 3.1: every response body is of this type. */
  public static final String SCIM_JSON = "application/scim+json";

  public static final String SCIM_JSON_UTF8 = "application/scim+json;charset=utf-8";

  private ScimMediaType() {}
}
