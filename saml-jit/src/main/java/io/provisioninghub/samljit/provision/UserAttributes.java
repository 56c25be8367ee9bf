package io.provisioninghub.samljit.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the SCIM attribute paths a claim mapping may name ({@link ClaimMapping}) on a
 * SCIM user document.
 */
public final class UserAttributes {

  private static final Pattern TYPED = Pattern.compile("(\\w+)\\[type eq \"(\\w+)\"\\]\\.value");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private UserAttributes() {}

  /** The mapped values of one sign-in: SCIM path → the claim's first non-blank value. */
  public static Map<String, String> mapped(
      Map<String, String> claimMapping, Map<String, List<String>> claims) {
    Map<String, String> values = new LinkedHashMap<>();
    claimMapping.forEach(
        (claim, path) -> {
          List<String> given = claims.get(claim);
          if (given != null) {
            given.stream()
                .filter(v -> v != null && !v.isBlank())
                .findFirst()
                .ifPresent(v -> values.put(path, v.strip()));
          }
        });
    return values;
  }

  /** The value at a path, or null when the user has none. */
  public static String read(JsonNode user, String path) {
    Matcher typed = TYPED.matcher(path);
    JsonNode node;
    if (typed.matches()) {
      node = null;
      for (JsonNode e : user.path(typed.group(1))) {
        if (typed.group(2).equals(e.path("type").asText())) {
          node = e.get("value");
          break;
        }
      }
    } else if (path.contains(".")) {
      String[] parts = path.split("\\.", 2);
      node = user.path(parts[0]).get(parts[1]);
    } else {
      node = user.get(path);
    }
    return node == null || node.isNull() || node.asText().isEmpty() ? null : node.asText();
  }

  /** Sets a path's value on a new user document. */
  public static void write(ObjectNode user, String path, String value) {
    Matcher typed = TYPED.matcher(path);
    if (typed.matches()) {
      ArrayNode list =
          user.has(typed.group(1))
              ? (ArrayNode) user.get(typed.group(1))
              : user.putArray(typed.group(1));
      list.addObject().put("type", typed.group(2)).put("value", value);
    } else if (path.contains(".")) {
      String[] parts = path.split("\\.", 2);
      ObjectNode parent =
          user.has(parts[0]) ? (ObjectNode) user.get(parts[0]) : user.putObject(parts[0]);
      parent.put(parts[1], value);
    } else {
      user.put(path, value);
    }
  }

  /** A new user: the core schema, active, and every mapped value. */
  public static ObjectNode newUser(String userName, Map<String, String> values) {
    ObjectNode user = NODES.objectNode();
    user.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
    user.put("userName", userName);
    user.put("active", true);
    values.forEach(
        (path, value) -> {
          if (!path.equals("userName")) {
            write(user, path, value);
          }
        });
    return user;
  }

  /** A PATCH request of the given operations. */
  public static ObjectNode patch(ArrayNode operations) {
    ObjectNode patch = NODES.objectNode();
    patch.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:PatchOp");
    patch.set("Operations", operations);
    return patch;
  }

  public static ArrayNode operations() {
    return NODES.arrayNode();
  }
}
