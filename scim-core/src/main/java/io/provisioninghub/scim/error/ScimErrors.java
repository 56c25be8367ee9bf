package io.provisioninghub.scim.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Renders the RFC 7644 section 3.12 error body. */
public final class ScimErrors {

  public static final String ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ScimErrors() {}

  /** {@code status} is a JSON string, as the RFC's examples show; {@code scimType} only if set. */
  public static ObjectNode body(int status, ScimType scimType, String detail) {
    ObjectNode body = MAPPER.createObjectNode();
    body.putArray("schemas").add(ERROR_SCHEMA);
    body.put("status", Integer.toString(status));
    if (scimType != null) {
      body.put("scimType", scimType.name());
    }
    if (detail != null && !detail.isBlank()) {
      body.put("detail", detail);
    }
    return body;
  }

  public static ObjectNode body(ScimException e) {
    return body(e.status(), e.scimType(), e.detail());
  }
}
