package io.provisioninghub.graphsync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Graph user and group objects as SCIM resources, attribute by attribute as Entra's own SCIM
 * provisioning maps them by default: id → externalId, userPrincipalName → userName, accountEnabled
 * → active, givenName/surname → name, mail → the work email, jobTitle → title, department → the
 * enterprise extension's department.
 */
public final class UserMapping {

  static final String CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  static final String CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
  static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

  private static final ObjectMapper JSON = new ObjectMapper();

  private UserMapping() {}

  /** The whole SCIM user (for POST and PUT); the object must carry its userPrincipalName. */
  public static ObjectNode user(JsonNode graph) {
    ObjectNode user = JSON.createObjectNode();
    ArrayNode schemas = user.putArray("schemas").add(CORE_USER);
    user.put("externalId", graph.get("id").asText());
    user.put("userName", graph.path("userPrincipalName").asText());
    text(graph, "displayName").ifPresent(v -> user.put("displayName", v));
    ObjectNode name = JSON.createObjectNode();
    text(graph, "givenName").ifPresent(v -> name.put("givenName", v));
    text(graph, "surname").ifPresent(v -> name.put("familyName", v));
    if (!name.isEmpty()) {
      user.set("name", name);
    }
    text(graph, "mail")
        .ifPresent(
            v ->
                user.putArray("emails")
                    .addObject()
                    .put("value", v)
                    .put("type", "work")
                    .put("primary", true));
    user.put("active", graph.path("accountEnabled").asBoolean(true));
    text(graph, "jobTitle").ifPresent(v -> user.put("title", v));
    text(graph, "department")
        .ifPresent(
            v -> {
              schemas.add(ENTERPRISE);
              user.putObject(ENTERPRISE).put("department", v);
            });
    return user;
  }

  /** A new SCIM group (members follow in PATCHes). */
  public static ObjectNode group(String graphId, String displayName) {
    ObjectNode group = JSON.createObjectNode();
    group.putArray("schemas").add(CORE_GROUP);
    group.put("externalId", graphId);
    group.put("displayName", displayName);
    return group;
  }

  /** A PATCH that sets one attribute. */
  public static ObjectNode replace(String path, JsonNode value) {
    ObjectNode patch = patch();
    ((ArrayNode) patch.get("Operations"))
        .addObject()
        .put("op", "replace")
        .put("path", path)
        .set("value", value);
    return patch;
  }

  /** A PATCH that adds members, or replaces all of them with these when {@code replace}. */
  public static ObjectNode members(Iterable<String> scimIds, boolean replace) {
    ObjectNode patch = patch();
    ArrayNode value = JSON.createArrayNode();
    scimIds.forEach(id -> value.addObject().put("value", id));
    ((ArrayNode) patch.get("Operations"))
        .addObject()
        .put("op", replace ? "replace" : "add")
        .put("path", "members")
        .set("value", value);
    return patch;
  }

  /** A PATCH that removes these members. */
  public static ObjectNode removeMembers(Iterable<String> scimIds) {
    StringBuilder filter = new StringBuilder();
    for (String id : scimIds) {
      filter
          .append(filter.length() == 0 ? "" : " or ")
          .append("value eq \"")
          .append(id)
          .append('"');
    }
    ObjectNode patch = patch();
    ((ArrayNode) patch.get("Operations"))
        .addObject()
        .put("op", "remove")
        .put("path", "members[" + filter + "]");
    return patch;
  }

  private static ObjectNode patch() {
    ObjectNode patch = JSON.createObjectNode();
    patch.putArray("schemas").add(PATCH_OP);
    patch.putArray("Operations");
    return patch;
  }

  private static java.util.Optional<String> text(JsonNode graph, String property) {
    JsonNode v = graph.get(property);
    return v == null || !v.isTextual() || v.asText().isBlank()
        ? java.util.Optional.empty()
        : java.util.Optional.of(v.asText());
  }
}
