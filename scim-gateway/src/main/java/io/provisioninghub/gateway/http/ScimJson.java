package io.provisioninghub.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.scim.resource.ResourceMeta;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Writing SCIM responses. Request bodies are read by {@code validation.RequestBodies}. */
public final class ScimJson {

  private static final ObjectMapper MAPPER = ContractJson.mapper();

  private ScimJson() {}

  /** A single-resource response: body, ETag from meta.version, and Location on create. */
  public static Response resource(int status, ObjectNode resource, URI location) {
    if (location != null) {
      ResourceMeta.locate(resource, location.toString());
    }
    Response.ResponseBuilder response =
        Response.status(status).type(ScimMediaType.SCIM_JSON).entity(bytes(resource));
    JsonNode version = resource.at("/meta/version");
    if (version.isTextual()) {
      response.header("ETag", version.asText());
    }
    if (location != null && status == 201) {
      response.location(location);
    }
    return response.build();
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
