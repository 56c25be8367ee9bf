package io.provisioninghub.audit.redaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.support.consumer.StorableText;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a SCIM request body into what the audit log may keep: secrets removed, PII masked, at most
 * {@link #MAX_DEPTH} levels deep. Works on resource bodies (POST/PUT) and on PATCH bodies, where
 * the attribute is named by each operation's {@code path}.
 */
@ApplicationScoped
public class RedactionPolicy {

  /** The deepest level of a body the audit log keeps (the body itself is level 1). */
  public static final int MAX_DEPTH = 32;

  /** What replaces an object or array nested deeper than {@link #MAX_DEPTH}. */
  public static final String TOO_DEEP = "(nested deeper than 32 levels, not kept)";

  private static final List<String> BUILT_IN_SECRET_MARKERS =
      List.of("password", "secret", "token");

  private final List<String> secretMarkers;
  private final boolean maskPii;
  private final List<String> piiPaths;
  private final TextNode mask;

  public RedactionPolicy(RedactionConfig config) {
    List<String> markers = new ArrayList<>(BUILT_IN_SECRET_MARKERS);
    config.extraSecretMarkers().orElse(List.of()).stream()
        .map(m -> m.trim().toLowerCase(Locale.ROOT))
        .filter(m -> !m.isEmpty())
        .forEach(markers::add);
    this.secretMarkers = List.copyOf(markers);
    this.maskPii = config.maskPii();
    this.piiPaths =
        config.piiPaths().stream()
            .map(p -> p.trim().toLowerCase(Locale.ROOT))
            .filter(p -> !p.isEmpty())
            .toList();
    this.mask = TextNode.valueOf(config.mask());
  }

  /** A redacted copy of {@code payload}; null stays null. */
  public JsonNode redact(Operation operation, JsonNode payload) {
    if (payload == null || payload.isNull()) {
      return null;
    }
    JsonNode copy = boundedCopy(payload);
    if (!copy.isObject()) {
      return copy;
    }
    ObjectNode body = (ObjectNode) copy;
    if (operation == Operation.PATCH) {
      redactPatch(body);
    } else {
      redactObject(body, "");
    }
    return body;
  }

  /** One container still to be copied: where it comes from, where it goes, how deep it is. */
  private record Step(JsonNode from, JsonNode to, int depth) {}

  /**
   * A copy of {@code source} made without recursion, so a body of any depth costs no stack.
   * Containers deeper than {@link #MAX_DEPTH} are replaced by {@link #TOO_DEEP}, which bounds
   * everything that walks the copy afterwards (the redaction below recurses per level, and writing
   * JSON refuses very deep trees); text and field names are made storable (U+0000 and lone
   * surrogates, which PostgreSQL refuses, become U+FFFD).
   */
  static JsonNode boundedCopy(JsonNode source) {
    if (!source.isContainerNode()) {
      return scalar(source);
    }
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    JsonNode root = source.isObject() ? nodes.objectNode() : nodes.arrayNode();
    Deque<Step> work = new ArrayDeque<>();
    work.push(new Step(source, root, 1));
    while (!work.isEmpty()) {
      Step step = work.pop();
      if (step.from().isObject()) {
        ObjectNode to = (ObjectNode) step.to();
        for (Map.Entry<String, JsonNode> field : step.from().properties()) {
          to.set(StorableText.of(field.getKey()), child(field.getValue(), step.depth(), work));
        }
      } else {
        ArrayNode to = (ArrayNode) step.to();
        for (JsonNode element : step.from()) {
          to.add(child(element, step.depth(), work));
        }
      }
    }
    return root;
  }

  private static JsonNode child(JsonNode value, int parentDepth, Deque<Step> work) {
    if (!value.isContainerNode()) {
      return scalar(value);
    }
    if (parentDepth >= MAX_DEPTH) {
      return TextNode.valueOf(TOO_DEEP);
    }
    JsonNode container =
        value.isObject()
            ? JsonNodeFactory.instance.objectNode()
            : JsonNodeFactory.instance.arrayNode();
    work.push(new Step(value, container, parentDepth + 1));
    return container;
  }

  /** Value nodes are immutable and shared, except text, which is made storable. */
  private static JsonNode scalar(JsonNode value) {
    if (value.isTextual()) {
      String text = value.textValue();
      String storable = StorableText.of(text);
      return storable == text ? value : TextNode.valueOf(storable);
    }
    return value;
  }

  private void redactPatch(ObjectNode body) {
    JsonNode operations = ScimPaths.field(body, "Operations");
    if (operations == null || !operations.isArray()) {
      redactObject(body, "");
      return;
    }
    // Anything beside Operations is no part of a PATCH, but is stored too: redact it as a body.
    redactObject(body, "", ScimPaths.fieldName(body, "Operations"));
    for (JsonNode op : operations) {
      if (!op.isObject()) {
        continue;
      }
      ObjectNode patchOp = (ObjectNode) op;
      String valueKey = ScimPaths.fieldName(patchOp, "value");
      String pathKey = ScimPaths.fieldName(patchOp, "path");
      JsonNode rawPath = pathKey == null ? null : patchOp.get(pathKey);
      if (rawPath == null || !rawPath.isTextual() || rawPath.asText().isBlank()) {
        if (valueKey != null) {
          JsonNode value = patchOp.get(valueKey);
          if (value.isObject()) {
            redactObject((ObjectNode) value, "");
          }
        }
        continue;
      }
      String path = ScimPaths.attributePath(rawPath.asText());
      if (isSecret(path)) {
        if (valueKey != null) {
          patchOp.remove(valueKey);
        }
        continue;
      }
      if (maskPii && pathFilterIsPii(rawPath.asText())) {
        patchOp.put(pathKey, ScimPaths.withoutFilterValues(rawPath.asText(), mask.asText()));
      }
      if (valueKey == null) {
        continue;
      }
      JsonNode value = patchOp.get(valueKey);
      if (maskPii && isPii(path)) {
        if (!value.isNull()) {
          patchOp.set(valueKey, mask);
        }
      } else {
        redactValue(value, path);
      }
    }
  }

  private void redactObject(ObjectNode node, String base) {
    redactObject(node, base, null);
  }

  private void redactObject(ObjectNode node, String base, String skip) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    List<String> toMask = new ArrayList<>();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      if (name.equals(skip)) {
        continue;
      }
      String path = base.isEmpty() ? name : base + "." + name;
      if (isSecretName(name)) {
        fields.remove();
      } else if (maskPii && isPii(path)) {
        if (!field.getValue().isNull()) {
          toMask.add(name);
        }
      } else if (field.getValue().isObject()) {
        redactObject((ObjectNode) field.getValue(), nested(base, name));
      } else if (field.getValue().isArray()) {
        redactArray((ArrayNode) field.getValue(), nested(base, name));
      }
    }
    toMask.forEach(name -> node.set(name, mask));
  }

  private void redactValue(JsonNode value, String path) {
    if (value.isObject()) {
      redactObject((ObjectNode) value, path);
    } else if (value.isArray()) {
      redactArray((ArrayNode) value, path);
    }
  }

  private void redactArray(ArrayNode array, String path) {
    for (JsonNode element : array) {
      if (element.isObject()) {
        redactObject((ObjectNode) element, path);
      }
    }
  }

  /** Extension URNs are not part of the path PII patterns are written against. */
  private static String nested(String base, String name) {
    if (base.isEmpty() && name.toLowerCase(Locale.ROOT).startsWith("urn:")) {
      return "";
    }
    return base.isEmpty() ? name : base + "." + name;
  }

  private boolean isSecret(String path) {
    for (String segment : path.split("\\.")) {
      if (isSecretName(segment)) {
        return true;
      }
    }
    return false;
  }

  boolean isSecretName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String marker : secretMarkers) {
      if (lower.contains(marker)) {
        return true;
      }
    }
    return false;
  }

  private boolean isPii(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    for (String pattern : piiPaths) {
      if (pattern.endsWith(".*")) {
        String parent = pattern.substring(0, pattern.length() - 2);
        if (lower.startsWith(parent + ".")) {
          return true;
        }
      } else if (lower.equals(pattern) || lower.startsWith(pattern + ".")) {
        return true;
      }
    }
    return false;
  }

  /** A filter such as {@code emails[value eq "a@b.c"]} carries the PII in the path itself. */
  private boolean pathFilterIsPii(String rawPath) {
    int bracket = rawPath.indexOf('[');
    if (bracket < 0) {
      return false;
    }
    String attribute =
        ScimPaths.attributePath(rawPath.substring(0, bracket)).toLowerCase(Locale.ROOT);
    for (String pattern : piiPaths) {
      if (pattern.equals(attribute) || pattern.startsWith(attribute + ".")) {
        return true;
      }
    }
    return false;
  }
}
