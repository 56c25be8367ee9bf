package io.provisioninghub.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.filter.Brackets;
import io.provisioninghub.scim.schema.InputRules;
import io.provisioninghub.scim.schema.ScimSchemas;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an RFC 7644 section 3.5.2 PATCH body, accepting what Entra ID sends with and without its
 * {@code aadOptscim062020} flag: capitalised ops, no-path Replace whose value holds dotted or
 * URN-qualified keys. Value types (e.g. "False" for a boolean) are coerced later by {@link
 * PatchApplier}, which knows the schema.
 */
public final class PatchParser {

  static final int MAX_OPERATIONS = 1000;

  private PatchParser() {}

  public static ScimPatch parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw syntax("A PATCH body must be a JSON object");
    }
    InputRules.checkDepth(body, "The PATCH body");
    JsonNode schemas = field(body, "schemas");
    if (schemas == null || !schemas.isArray() || !containsText(schemas, ScimSchemas.PATCH_OP)) {
      throw syntax("'schemas' must contain " + ScimSchemas.PATCH_OP);
    }
    JsonNode ops = field(body, "Operations");
    if (ops == null || !ops.isArray() || ops.isEmpty()) {
      throw syntax("'Operations' must be a non-empty array");
    }
    if (ops.size() > MAX_OPERATIONS) {
      throw syntax("At most " + MAX_OPERATIONS + " operations per request");
    }
    List<ScimPatch.Operation> out = new ArrayList<>();
    for (JsonNode op : ops) {
      parseOperation(op, out);
    }
    for (ScimPatch.Operation op : out) {
      // Text of each value first, so a refusal names the attribute; then everything else.
      InputRules.checkTree(op.value(), op.path() == null ? "" : op.path());
    }
    InputRules.checkTree(body, "");
    return new ScimPatch(out);
  }

  private static void parseOperation(JsonNode node, List<ScimPatch.Operation> out) {
    if (!node.isObject()) {
      throw syntax("Each operation must be a JSON object");
    }
    JsonNode opNode = field(node, "op");
    if (opNode == null || !opNode.isTextual()) {
      throw syntax("Each operation needs 'op': add, replace or remove");
    }
    ScimPatch.Op op =
        switch (opNode.textValue().strip().toLowerCase(Locale.ROOT)) {
          case "add" -> ScimPatch.Op.ADD;
          case "replace" -> ScimPatch.Op.REPLACE;
          case "remove" -> ScimPatch.Op.REMOVE;
          default -> throw syntax("Unknown op '" + opNode.textValue() + "'");
        };
    JsonNode pathNode = field(node, "path");
    if (pathNode != null && !pathNode.isNull() && !pathNode.isTextual()) {
      throw new BadRequestException(ScimType.invalidPath, "'path' must be a string");
    }
    String path =
        pathNode == null || pathNode.isNull() || pathNode.textValue().isBlank()
            ? null
            : pathNode.textValue().strip();
    JsonNode value = field(node, "value");
    if (op == ScimPatch.Op.REMOVE) {
      if (value != null && value.isNull()) {
        value = null;
      }
      if (path == null) {
        throw new BadRequestException(
            ScimType.noTarget, "A remove operation needs a 'path' (RFC 7644 3.5.2.2)");
      }
      out.add(new ScimPatch.Operation(op, path, parsePath(path), value));
      return;
    }
    if (value == null) {
      throw new BadRequestException(
          ScimType.invalidValue, "An " + op.name().toLowerCase(Locale.ROOT) + " needs a 'value'");
    }
    if (path != null) {
      out.add(new ScimPatch.Operation(op, path, parsePath(path), value));
      return;
    }
    if (!value.isObject()) {
      throw new BadRequestException(
          ScimType.invalidValue, "Without a 'path', 'value' must be an object of attributes");
    }
    expandRootValue(op, (ObjectNode) value, out);
  }

  /** No path: one op per attribute; an extension object becomes one op per its attributes. */
  private static void expandRootValue(
      ScimPatch.Op op, ObjectNode value, List<ScimPatch.Operation> out) {
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String key = e.getKey().strip();
      JsonNode v = e.getValue();
      if (key.equalsIgnoreCase("schemas") || key.isEmpty()) {
        continue;
      }
      if (isExtensionObjectKey(key) && v.isObject()) {
        Iterator<Map.Entry<String, JsonNode>> inner = v.fields();
        while (inner.hasNext()) {
          Map.Entry<String, JsonNode> ie = inner.next();
          String path = key + ":" + ie.getKey();
          out.add(new ScimPatch.Operation(op, path, parsePath(path), ie.getValue()));
        }
        continue;
      }
      out.add(new ScimPatch.Operation(op, key, parsePath(key), v));
    }
  }

  /**
   * A key that names a whole extension schema: the enterprise URN, or another URN ending in a
   * resource type name (how custom extension schemas are named in practice).
   */
  static boolean isExtensionObjectKey(String key) {
    if (key.equalsIgnoreCase(ScimSchemas.ENTERPRISE_USER)) {
      return true;
    }
    String lower = key.toLowerCase(Locale.ROOT);
    return lower.startsWith("urn:") && (lower.endsWith(":user") || lower.endsWith(":group"));
  }

  static Path parsePath(String path) {
    if (isExtensionObjectKey(path)) {
      // The SDK would read the last URN segment as an attribute; the applier handles it.
      return null;
    }
    int depth = Brackets.maxDepth(path, false);
    if (depth == Brackets.UNBALANCED || depth > 1 || !dotAfterFilter(path)) {
      throw invalidPath(path);
    }
    try {
      Path parsed = Path.fromString(path);
      if (parsed.isRoot() || parsed.size() > 2) {
        throw invalidPath(path);
      }
      return parsed;
    } catch (com.unboundid.scim2.common.exceptions.ScimException e) {
      throw new BadRequestException(
          ScimType.invalidPath, "Invalid path '" + path + "': " + firstLine(e.getMessage()), null);
    } catch (RuntimeException | StackOverflowError e) {
      throw invalidPath(path);
    }
  }

  /**
   * RFC 7644 section 3.5.2's valuePath: after a closing {@code ]} comes a {@code .subAttr} or the
   * end. The SDK also reads {@code emails[type eq "work"]value} as if the dot were there; we do not
   * guess what a malformed path meant.
   */
  private static boolean dotAfterFilter(String path) {
    boolean quoted = false;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ']' && i + 1 < path.length() && path.charAt(i + 1) != '.') {
        return false;
      }
    }
    return true;
  }

  private static String firstLine(String message) {
    return message == null ? "syntax error" : message.lines().findFirst().orElse(message);
  }

  private static BadRequestException invalidPath(String path) {
    return new BadRequestException(ScimType.invalidPath, "Invalid path '" + path + "'");
  }

  private static BadRequestException syntax(String detail) {
    return new BadRequestException(ScimType.invalidSyntax, detail);
  }

  /** Field by name, case-insensitively (Entra and others vary "Operations"/"operations"). */
  static JsonNode field(JsonNode object, String name) {
    JsonNode exact = object.get(name);
    if (exact != null) {
      return exact;
    }
    Iterator<Map.Entry<String, JsonNode>> it = object.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static boolean containsText(JsonNode array, String wanted) {
    for (JsonNode n : array) {
      if (n.isTextual() && n.textValue().strip().equalsIgnoreCase(wanted)) {
        return true;
      }
    }
    return false;
  }
}
