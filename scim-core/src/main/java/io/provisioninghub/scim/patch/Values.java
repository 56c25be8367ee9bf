package io.provisioninghub.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.schema.AttributeDefinition;
import io.provisioninghub.scim.schema.AttributeDefinition.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Coerces client values to an attribute's schema type. Lenient where clients are known to differ
 * from the RFC ("True"/"False" strings, a manager sent as a bare id, a single value wrapped in a
 * one-element array; docs/input-contract.md), strict otherwise: a number or boolean where a string
 * belongs is refused, not turned into text. Returns null for a value that means "no value" (JSON
 * null, "" for strings, empty objects). Unknown and read-only sub-attributes are dropped.
 */
final class Values {

  static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private Values() {}

  /** A whole attribute value: an array for multi-valued attributes (a lone object is wrapped). */
  static JsonNode coerce(JsonNode value, AttributeDefinition def, String where) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (def.multiValued()) {
      ArrayNode out = JSON.arrayNode();
      if (value.isArray()) {
        for (JsonNode element : value) {
          JsonNode c = coerceSingle(element, def, where);
          if (c != null) {
            out.add(c);
          }
        }
      } else if (value.isObject()) {
        JsonNode c = coerceSingle(value, def, where);
        if (c != null) {
          out.add(c);
        }
      } else {
        throw invalid("'" + where + "' must be an array");
      }
      return out;
    }
    return coerceSingle(value, def, where);
  }

  /** One value of the attribute (one element, for multi-valued ones). */
  static JsonNode coerceSingle(JsonNode value, AttributeDefinition def, String where) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (def.isComplex()) {
      if (value.isTextual() && def.subAttribute("value").isPresent() && !def.multiValued()) {
        // Entra sends the enterprise manager as a bare id.
        return value.textValue().isEmpty() ? null : object("value", value.textValue());
      }
      if (!value.isObject()) {
        throw invalid("'" + where + "' must be an object");
      }
      ObjectNode out = JSON.objectNode();
      Iterator<Map.Entry<String, JsonNode>> it = value.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        var sub = def.subAttribute(e.getKey());
        if (sub.isEmpty() || sub.get().isReadOnly()) {
          // RFC 7643 section 7: read-only sub-attributes are ignored on input; so are ones the
          // schema does not define, like unknown attributes at the top level.
          continue;
        }
        JsonNode c = coerceSingle(e.getValue(), sub.get(), where + "." + sub.get().name());
        if (c != null) {
          out.set(sub.get().name(), c);
        }
      }
      if (out.isEmpty() || isEmptyManager(def, out)) {
        return null;
      }
      return out;
    }
    return coerceScalar(value, def, where);
  }

  private static boolean isEmptyManager(AttributeDefinition def, ObjectNode out) {
    return def.name().equals("manager")
        && (!out.hasNonNull("value") || out.get("value").asText().isEmpty());
  }

  static JsonNode coerceScalar(JsonNode value, AttributeDefinition def, String where) {
    if (value.isArray() && value.size() == 1 && !def.multiValued()) {
      // Some clients wrap a single value in an array.
      value = value.get(0);
    }
    if (value.isObject() || value.isArray()) {
      throw invalid("'" + where + "' must be a single " + def.type().wire() + " value");
    }
    if (def.type() == Type.BOOLEAN) {
      if (value.isBoolean()) {
        return value;
      }
      if (value.isTextual()) {
        String t = value.textValue().strip();
        if (t.equalsIgnoreCase("true")) {
          return BooleanNode.TRUE;
        }
        if (t.equalsIgnoreCase("false")) {
          return BooleanNode.FALSE;
        }
      }
      throw invalid("'" + where + "' must be true or false");
    }
    if (def.type() == Type.DECIMAL || def.type() == Type.INTEGER) {
      if (!value.isNumber()) {
        throw invalid("'" + where + "' must be a number");
      }
      return value;
    }
    // string, reference, dateTime, binary: a JSON string, stored as sent ("" means absent).
    if (value.isTextual()) {
      return value.textValue().isEmpty() ? null : value;
    }
    throw invalid(
        "'" + where + "' must be a string (" + def.type().wire() + "), not " + kind(value));
  }

  static ObjectNode object(String key, String value) {
    ObjectNode o = JSON.objectNode();
    o.put(key, value);
    return o;
  }

  /**
   * A copy without JSON nulls, at any depth (RFC 7643 2.5: null is the same as absent). Iterative:
   * no document, however deep, exhausts the stack.
   */
  static JsonNode dropNulls(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isContainerNode()) {
      return node;
    }
    JsonNode root = emptyLike(node);
    Deque<JsonNode[]> work = new ArrayDeque<>();
    work.push(new JsonNode[] {node, root});
    while (!work.isEmpty()) {
      JsonNode[] pair = work.pop();
      JsonNode from = pair[0];
      JsonNode to = pair[1];
      if (from.isObject()) {
        Iterator<Map.Entry<String, JsonNode>> it = from.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          JsonNode v = e.getValue();
          if (v.isNull()) {
            continue;
          }
          JsonNode copy = v.isContainerNode() ? emptyLike(v) : v;
          ((ObjectNode) to).set(e.getKey(), copy);
          if (v.isContainerNode()) {
            work.push(new JsonNode[] {v, copy});
          }
        }
      } else {
        for (JsonNode v : from) {
          if (v.isNull()) {
            continue;
          }
          JsonNode copy = v.isContainerNode() ? emptyLike(v) : v;
          ((ArrayNode) to).add(copy);
          if (v.isContainerNode()) {
            work.push(new JsonNode[] {v, copy});
          }
        }
      }
    }
    return root;
  }

  private static JsonNode emptyLike(JsonNode container) {
    return container.isObject() ? JSON.objectNode() : JSON.arrayNode();
  }

  private static String kind(JsonNode value) {
    if (value.isNumber()) {
      return "a number";
    }
    if (value.isBoolean()) {
      return "a boolean";
    }
    return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static BadRequestException invalid(String detail) {
    return new BadRequestException(ScimType.invalidValue, detail);
  }
}
