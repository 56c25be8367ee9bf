package io.provisioninghub.processor.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.scim.resource.ResourceMeta;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Turns validated SCIM payloads into stored documents and stored rows into SCIM resources. */
final class UserDocuments {

  static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

  private UserDocuments() {}

  /** The document to store: the payload minus server-owned attributes, with the server's id. */
  static ObjectNode stored(JsonNode payload, String id) {
    ObjectNode doc = payload.deepCopy();
    doc.remove("id");
    doc.remove("meta");
    doc.remove("groups");
    ObjectNode out = ContractJson.mapper().createObjectNode();
    out.put("id", id);
    out.setAll(doc);
    if (!out.has("schemas")) {
      out.putArray("schemas").add(USER_SCHEMA);
    }
    return out;
  }

  /** The SCIM resource for a row; the gateway adds {@code meta.location}. */
  static ObjectNode resource(UserRecord row) {
    ObjectNode resource;
    try {
      resource = (ObjectNode) ContractJson.mapper().readTree(row.resource);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ResourceMeta.put(resource, "User", row.created, row.lastModified, row.version);
  }

  static String text(JsonNode payload, String field) {
    JsonNode value = payload.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
