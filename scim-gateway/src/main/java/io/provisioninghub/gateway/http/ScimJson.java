package io.provisioninghub.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.resource.ResourceMeta;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;

/** Reading request bodies and writing SCIM responses. */
public final class ScimJson {

  private static final ObjectMapper MAPPER = ContractJson.mapper();

  private ScimJson() {}

  /** Parses a request body that must be one JSON object; anything else is 400 invalidSyntax. */
  public static ObjectNode object(byte[] body) {
    if (body == null || body.length == 0) {
      throw new BadRequestException(ScimType.invalidSyntax, "the request body is empty");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new BadRequestException(
          ScimType.invalidSyntax, "the request body is not valid JSON: " + firstLine(e), e);
    }
    if (node == null || !node.isObject()) {
      throw new BadRequestException(
          ScimType.invalidSyntax, "the request body must be a JSON object");
    }
    return (ObjectNode) node;
  }

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

  private static String firstLine(IOException e) {
    String message =
        e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable");
  }
}
