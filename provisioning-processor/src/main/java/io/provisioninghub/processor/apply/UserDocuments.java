package io.provisioninghub.processor.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

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
    ObjectNode meta = resource.putObject("meta");
    meta.put("resourceType", "User");
    meta.put("created", format(row.created));
    meta.put("lastModified", format(row.lastModified));
    meta.put("version", "W/\"" + row.version + "\"");
    return resource;
  }

  static String text(JsonNode payload, String field) {
    JsonNode value = payload.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static String format(OffsetDateTime time) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
  }
}
