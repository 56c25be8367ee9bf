package io.provisioninghub.processor.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;

/** JSON helpers for stored SCIM documents. */
public final class Documents {

  /** The deepest body a command may carry (objects and arrays, the body itself is level 1). */
  public static final int MAX_DEPTH = 32;

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

  /**
   * What an event says about the values of a change: for each of {@code names} (as {@link
   * #changedAttributes} spells them) its value in {@code after}, JSON null if the change removed
   * it. The password (never in a stored document) and every attribute that {@code redacted} names
   * are left out: their names stay in {@code changedAttributes}, their values are not published.
   *
   * @param redacted attribute names whose values events never carry, matched case-insensitively: a
   *     core attribute ({@code emails}, with its sub-attributes), an extension's attribute ({@code
   *     urn:…:employeeNumber}) or a whole extension ({@code urn:…:User})
   */
  public static ObjectNode changes(
      JsonNode after, java.util.Collection<String> names, java.util.Collection<String> redacted) {
    ObjectNode out = ContractJson.mapper().createObjectNode();
    for (String name : names) {
      if (name.equalsIgnoreCase(PASSWORD) || isRedacted(name, redacted)) {
        continue;
      }
      JsonNode value = valueOf(after, name);
      out.set(
          name,
          value == null
              ? com.fasterxml.jackson.databind.node.NullNode.getInstance()
              : value.deepCopy());
    }
    return out;
  }

  private static final String PASSWORD = "password";

  /** The value a name of {@link #changedAttributes} has in a document, or null. */
  static JsonNode valueOf(JsonNode doc, String name) {
    JsonNode direct = doc.get(name);
    if (direct != null || !name.startsWith("urn:")) {
      return direct;
    }
    int colon = name.lastIndexOf(':');
    JsonNode extension = doc.get(name.substring(0, colon));
    return extension == null || !extension.isObject()
        ? null
        : extension.get(name.substring(colon + 1));
  }

  private static boolean isRedacted(String name, java.util.Collection<String> redacted) {
    for (String rule : redacted) {
      if (name.equalsIgnoreCase(rule)
          || (rule.startsWith("urn:")
              && name.regionMatches(true, 0, rule + ":", 0, rule.length() + 1))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The command's SCIM body, which every create, replace and patch carries. A body nested deeper
   * than {@link #MAX_DEPTH} levels is refused (400 invalidValue) before anything walks it: no SCIM
   * resource or PATCH request comes near that depth, and copying, comparing or patching such a tree
   * recursively could exhaust the stack.
   */
  public static JsonNode requirePayload(io.provisioninghub.contracts.ProvisioningCommand command) {
    if (command.payload() == null || !command.payload().isObject()) {
      throw new io.provisioninghub.scim.error.BadRequestException(
          io.provisioninghub.scim.error.ScimType.invalidSyntax, "the command has no SCIM body");
    }
    if (depth(command.payload(), MAX_DEPTH) > MAX_DEPTH) {
      throw new io.provisioninghub.scim.error.BadRequestException(
          io.provisioninghub.scim.error.ScimType.invalidValue,
          "the request body nests objects and arrays deeper than " + MAX_DEPTH + " levels");
    }
    return command.payload();
  }

  /**
   * The nesting depth of a JSON tree (a scalar is 0, an empty object or array 1), counted without
   * recursion, and counted only up to {@code limit + 1}: a 10,000-deep tree costs no stack and
   * stops being walked below the limit.
   */
  public static int depth(JsonNode root, int limit) {
    if (root == null || !root.isContainerNode()) {
      return 0;
    }
    int deepest = 0;
    Deque<JsonNode> nodes = new ArrayDeque<>();
    Deque<Integer> depths = new ArrayDeque<>();
    nodes.push(root);
    depths.push(1);
    while (!nodes.isEmpty()) {
      JsonNode node = nodes.pop();
      int level = depths.pop();
      deepest = Math.max(deepest, level);
      if (deepest > limit) {
        return deepest;
      }
      for (JsonNode child : node) {
        if (child.isContainerNode()) {
          nodes.push(child);
          depths.push(level + 1);
        }
      }
    }
    return deepest;
  }

  /** The names of the attributes a new document sets. */
  public static Set<String> attributeNames(JsonNode doc) {
    return changedAttributes(ContractJson.mapper().createObjectNode(), doc);
  }
}
