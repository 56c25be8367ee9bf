package io.provisioninghub.audit.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.audit.redaction.ScimPaths;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningCommand;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the audit log reads out of a command: the operation it meant, the attributes it changed and
 * whom it targeted. Pure; no I/O.
 */
public record CommandFacts(
    AuditOperation operation, List<String> changedAttributes, Target target) {

  private static final Set<String> NOT_ATTRIBUTES = Set.of("schemas", "id", "meta");

  public static CommandFacts of(ProvisioningCommand command) {
    JsonNode payload = command.payload();
    List<String> changed = changedAttributes(command.operation(), payload);
    if (command.passwordSet() != null && !changed.contains("password")) {
      // The gateway takes the password out of the body and says only that it was set (or removed).
      changed = new ArrayList<>(changed);
      changed.add("password");
    }
    return new CommandFacts(
        operation(command.operation(), payload),
        changed,
        Target.of(command.operation() == Operation.PATCH ? null : payload));
  }

  static AuditOperation operation(Operation operation, JsonNode payload) {
    return switch (operation) {
      case CREATE -> AuditOperation.CREATE;
      case DELETE -> AuditOperation.DELETE;
      case REPLACE ->
          Boolean.FALSE.equals(bool(ScimPaths.field(payload, "active")))
              ? AuditOperation.DISABLE
              : AuditOperation.REPLACE;
      case PATCH -> patchOperation(payload);
    };
  }

  /**
   * A PATCH that sets {@code active} is a disable or enable, whatever else it changes; one that
   * only adds (or only removes) members is a membership change; anything else is a plain patch.
   */
  private static AuditOperation patchOperation(JsonNode payload) {
    Boolean active = null;
    boolean membersOnly = true;
    boolean sawMembers = false;
    Set<String> memberOps = new LinkedHashSet<>();
    for (JsonNode op : patchOps(payload)) {
      String verb = text(ScimPaths.field(op, "op")).toLowerCase(Locale.ROOT);
      String path = ScimPaths.attributePath(text(ScimPaths.field(op, "path")));
      JsonNode value = ScimPaths.field(op, "value");
      String root = path.contains(".") ? path.substring(0, path.indexOf('.')) : path;
      if (root.equalsIgnoreCase("active")) {
        Boolean b = bool(value);
        active = b != null ? b : active;
        membersOnly = false;
      } else if (root.isEmpty() && value != null && value.isObject()) {
        Boolean b = bool(ScimPaths.field(value, "active"));
        active = b != null ? b : active;
        boolean onlyMembers = value.size() == 1 && ScimPaths.field(value, "members") != null;
        if (onlyMembers) {
          sawMembers = true;
          memberOps.add(verb);
        } else {
          membersOnly = false;
        }
      } else if (root.equalsIgnoreCase("members")) {
        sawMembers = true;
        memberOps.add(verb);
      } else {
        membersOnly = false;
      }
    }
    if (active != null) {
      return active ? AuditOperation.ENABLE : AuditOperation.DISABLE;
    }
    if (sawMembers && membersOnly && memberOps.size() == 1) {
      String verb = memberOps.iterator().next();
      if (verb.equals("add")) {
        return AuditOperation.MEMBERSHIP_ADD;
      }
      if (verb.equals("remove")) {
        return AuditOperation.MEMBERSHIP_REMOVE;
      }
    }
    return AuditOperation.PATCH;
  }

  /** Attribute names the request sets: PATCH paths (filters stripped) or body keys. */
  static List<String> changedAttributes(Operation operation, JsonNode payload) {
    Set<String> names = new LinkedHashSet<>();
    if (payload == null || !payload.isObject()) {
      return List.of();
    }
    if (operation == Operation.PATCH) {
      for (JsonNode op : patchOps(payload)) {
        String path = ScimPaths.attributePath(text(ScimPaths.field(op, "path")));
        JsonNode value = ScimPaths.field(op, "value");
        if (!path.isEmpty()) {
          names.add(path);
        } else if (value != null && value.isObject()) {
          addKeys(value, names);
        }
      }
    } else if (operation != Operation.DELETE) {
      addKeys(payload, names);
    }
    return new ArrayList<>(names);
  }

  private static void addKeys(JsonNode object, Set<String> names) {
    Iterator<String> fields = object.fieldNames();
    while (fields.hasNext()) {
      String name = fields.next();
      if (NOT_ATTRIBUTES.contains(name.toLowerCase(Locale.ROOT))) {
        continue;
      }
      JsonNode value = object.get(name);
      if (name.toLowerCase(Locale.ROOT).startsWith("urn:") && value.isObject()) {
        value.fieldNames().forEachRemaining(sub -> names.add(name + ":" + sub));
      } else {
        names.add(name);
      }
    }
  }

  private static List<JsonNode> patchOps(JsonNode payload) {
    JsonNode ops = ScimPaths.field(payload, "Operations");
    List<JsonNode> out = new ArrayList<>();
    if (ops != null && ops.isArray()) {
      ops.forEach(
          op -> {
            if (op.isObject()) {
              out.add(op);
            }
          });
    }
    return out;
  }

  private static String text(JsonNode node) {
    return node == null || !node.isValueNode() ? "" : node.asText("");
  }

  /** Entra sends booleans as strings ("False") in PATCH values. */
  private static Boolean bool(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isTextual()) {
      String v = node.asText().trim();
      if (v.equalsIgnoreCase("true")) {
        return true;
      }
      if (v.equalsIgnoreCase("false")) {
        return false;
      }
    }
    return null;
  }

  /** Whom an operation was about, as far as the request or the stored resource says. */
  public record Target(String userName, String displayName, String externalId) {

    public static Target of(JsonNode resource) {
      if (resource == null || !resource.isObject()) {
        return new Target(null, null, null);
      }
      return new Target(
          value(ScimPaths.field(resource, "userName")),
          value(ScimPaths.field(resource, "displayName")),
          value(ScimPaths.field(resource, "externalId")));
    }

    private static String value(JsonNode node) {
      if (node == null || !node.isValueNode() || node.isNull()) {
        return null;
      }
      String v = node.asText();
      return v.isBlank() ? null : v;
    }
  }
}
