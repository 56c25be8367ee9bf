package io.provisioninghub.processor.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.TreeSet;

/** JSON helpers for stored SCIM documents. */
public final class Documents {

  private Documents() {}

  public static ObjectNode parse(String json) {
    try {
      return (ObjectNode) ContractJson.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(JsonNode doc, String field) {
    JsonNode value = doc == null ? null : doc.get(field);
    return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
  }

  /** The document to store: the payload minus server-owned attributes, with the server's id. */
  public static ObjectNode stored(JsonNode payload, String id, String coreSchema, String... drop) {
    ObjectNode doc = payload.deepCopy();
    doc.remove("id");
    doc.remove("meta");
    for (String name : drop) {
      doc.remove(name);
    }
    ObjectNode out = ContractJson.mapper().createObjectNode();
    out.put("id", id);
    out.setAll(doc);
    if (!out.has("schemas")) {
      out.putArray("schemas").add(coreSchema);
    }
    return out;
  }

  /**
   * Names of the attributes that differ between two documents: top-level names, and for extension
   * objects (keys that are schema URNs) the qualified names of the sub-attributes that differ.
   */
  public static Set<String> changedAttributes(JsonNode before, JsonNode after) {
    Set<String> changed = new TreeSet<>();
    Set<String> names = new TreeSet<>();
    before.fieldNames().forEachRemaining(names::add);
    after.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      if (name.equals("id") || name.equals("meta") || name.equals("schemas")) {
        continue;
      }
      JsonNode a = before.get(name);
      JsonNode b = after.get(name);
      if (a != null && a.equals(b)) {
        continue;
      }
      if (name.startsWith("urn:") && (a == null || a.isObject()) && (b == null || b.isObject())) {
        Set<String> sub = new TreeSet<>();
        if (a != null) {
          a.fieldNames().forEachRemaining(sub::add);
        }
        if (b != null) {
          b.fieldNames().forEachRemaining(sub::add);
        }
        for (String s : sub) {
          JsonNode x = a == null ? null : a.get(s);
          JsonNode y = b == null ? null : b.get(s);
          if (x == null ? y != null : !x.equals(y)) {
            changed.add(name + ":" + s);
          }
        }
      } else {
        changed.add(name);
      }
    }
    return changed;
  }

  /** The command's SCIM body, which every create, replace and patch carries. */
  public static JsonNode requirePayload(io.provisioninghub.contracts.ProvisioningCommand command) {
    if (command.payload() == null || !command.payload().isObject()) {
      throw new io.provisioninghub.scim.error.BadRequestException(
          io.provisioninghub.scim.error.ScimType.invalidSyntax, "the command has no SCIM body");
    }
    return command.payload();
  }

  /** The names of the attributes a new document sets. */
  public static Set<String> attributeNames(JsonNode doc) {
    return changedAttributes(ContractJson.mapper().createObjectNode(), doc);
  }
}
