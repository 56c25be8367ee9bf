package io.provisioninghub.gateway.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import java.util.Iterator;
import java.util.Map;

/** Validates and normalises a User body before any command is published. */
final class UserRequests {

  static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

  private UserRequests() {}

  static ObjectNode forCreate(ObjectNode body) {
    JsonNode schemas = body.get("schemas");
    if (schemas == null || !schemas.isArray()) {
      throw new BadRequestException(
          ScimType.invalidSyntax, "'schemas' must be an array that contains " + USER_SCHEMA);
    }
    boolean hasCore = false;
    for (JsonNode s : schemas) {
      hasCore |= s.isTextual() && USER_SCHEMA.equalsIgnoreCase(s.asText());
    }
    if (!hasCore) {
      throw new BadRequestException(
          ScimType.invalidSyntax, "'schemas' must contain " + USER_SCHEMA);
    }
    JsonNode userName = body.get("userName");
    if (userName == null || !userName.isTextual() || userName.asText().isBlank()) {
      throw new BadRequestException(
          ScimType.invalidValue, "'userName' is required and must be a non-empty string");
    }
    ObjectNode normalised = body.deepCopy();
    normalised.remove("id");
    normalised.remove("meta");
    normalised.remove("groups");
    dropNulls(normalised);
    return normalised;
  }

  private static void dropNulls(JsonNode node) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getValue().isNull()) {
          fields.remove();
        } else {
          dropNulls(field.getValue());
        }
      }
    } else if (node.isArray()) {
      node.forEach(UserRequests::dropNulls);
    }
  }
}
