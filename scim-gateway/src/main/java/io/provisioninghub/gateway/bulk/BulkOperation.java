package io.provisioninghub.gateway.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.scim.error.ScimException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.schema.ResourceKind;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * One element of a bulk request's {@code Operations} (RFC 7644 section 3.7), as read: its method,
 * target, {@code bulkId}, {@code version} and {@code data}, the bulkIds it references ({@code
 * "bulkId:x"} in its path or anywhere in its data), or why it cannot run at all.
 *
 * @param id the target's id as sent (possibly {@code bulkId:x}), or null for a POST
 * @param invalid why the operation is refused before it runs, or null
 */
record BulkOperation(
    int index,
    String method,
    ResourceKind kind,
    String id,
    String bulkId,
    String version,
    ObjectNode data,
    Set<String> references,
    ScimException invalid) {

  /** The prefix of a reference to another operation's resource (RFC 7644 section 3.7.2). */
  static final String REFERENCE = "bulkId:";

  /** The resource this operation changes, for ordering operations on one resource: or null. */
  String target() {
    return kind == null || id == null
        ? null
        : kind + "/" + (id.startsWith(REFERENCE) ? id : id.toLowerCase(Locale.ROOT));
  }

  BulkOperation refused(ScimException why) {
    return new BulkOperation(index, method, kind, id, bulkId, version, data, references, why);
  }

  /** Reads one element; a malformed one comes back with {@link #invalid} set, never throws. */
  static BulkOperation read(int index, JsonNode node) {
    if (!node.isObject()) {
      return bad(index, null, null, ScimType.invalidSyntax, "an operation must be a JSON object");
    }
    JsonNode methodNode = node.get("method");
    JsonNode bulkIdNode = node.get("bulkId");
    String bulkId = bulkIdNode != null && bulkIdNode.isTextual() ? bulkIdNode.asText() : null;
    if (methodNode == null || !methodNode.isTextual()) {
      return bad(
          index,
          null,
          bulkId,
          ScimType.invalidSyntax,
          "operation " + index + " has no method (POST, PUT, PATCH or DELETE)");
    }
    String method = methodNode.asText().toUpperCase(Locale.ROOT);
    if (!Set.of("POST", "PUT", "PATCH", "DELETE").contains(method)) {
      return bad(
          index,
          methodNode.asText(),
          bulkId,
          ScimType.invalidValue,
          "operation " + index + ": method must be POST, PUT, PATCH or DELETE");
    }
    if (bulkIdNode != null && (bulkId == null || bulkId.isEmpty())) {
      return bad(
          index,
          method,
          null,
          ScimType.invalidValue,
          "operation " + index + ": bulkId must be a non-empty string");
    }
    if (bulkId != null && (bulkId.startsWith(REFERENCE) || bulkId.contains("/"))) {
      return bad(
          index,
          method,
          bulkId,
          ScimType.invalidValue,
          "operation " + index + ": a bulkId must not contain '/' nor start with 'bulkId:'");
    }
    if (method.equals("POST") && bulkId == null) {
      return bad(
          index,
          method,
          null,
          ScimType.invalidSyntax,
          "operation " + index + ": a POST needs a bulkId (RFC 7644 section 3.7)");
    }
    JsonNode pathNode = node.get("path");
    if (pathNode == null || !pathNode.isTextual()) {
      return bad(
          index, method, bulkId, ScimType.invalidSyntax, "operation " + index + " has no path");
    }
    String path = pathNode.asText();
    String[] parts = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[0];
    ResourceKind kind =
        parts.length == 0
            ? null
            : parts[0].equalsIgnoreCase("Users")
                ? ResourceKind.USER
                : parts[0].equalsIgnoreCase("Groups") ? ResourceKind.GROUP : null;
    if (kind == null || parts.length > 2 || (parts.length == 2 && parts[1].isEmpty())) {
      return bad(
          index,
          method,
          bulkId,
          ScimType.invalidPath,
          "operation "
              + index
              + ": path must be /Users or /Groups, with /{id} for PUT, PATCH and DELETE; got '"
              + path
              + "'");
    }
    String id = parts.length == 2 ? parts[1] : null;
    if (method.equals("POST") != (id == null)) {
      return bad(
          index,
          method,
          bulkId,
          ScimType.invalidPath,
          "operation "
              + index
              + (id == null
                  ? ": " + method + " needs the resource's id in its path"
                  : ": a POST goes to /Users or /Groups, without an id"));
    }
    JsonNode versionNode = node.get("version");
    String version = versionNode != null && versionNode.isTextual() ? versionNode.asText() : null;
    JsonNode dataNode = node.get("data");
    ObjectNode data = dataNode instanceof ObjectNode o ? o : null;
    if (!method.equals("DELETE") && data == null) {
      return bad(
          index,
          method,
          bulkId,
          ScimType.invalidSyntax,
          "operation " + index + ": " + method + " needs a data object");
    }
    Set<String> references = new LinkedHashSet<>();
    if (id != null && id.startsWith(REFERENCE)) {
      references.add(id.substring(REFERENCE.length()));
    }
    if (data != null && !method.equals("DELETE")) {
      collect(data, references);
    }
    return new BulkOperation(
        index,
        method,
        kind,
        id,
        bulkId,
        version,
        method.equals("DELETE") ? null : data,
        Set.copyOf(references),
        null);
  }

  private static void collect(JsonNode node, Set<String> references) {
    if (node.isTextual()) {
      String text = node.asText();
      if (text.startsWith(REFERENCE) && text.length() > REFERENCE.length()) {
        references.add(text.substring(REFERENCE.length()));
      }
    } else if (node.isContainerNode()) {
      node.forEach(child -> collect(child, references));
    }
  }

  private static BulkOperation bad(
      int index, String method, String bulkId, ScimType type, String detail) {
    return new BulkOperation(
        index,
        method,
        null,
        null,
        bulkId,
        null,
        null,
        Set.of(),
        new BulkOperationException(400, type, detail));
  }
}
