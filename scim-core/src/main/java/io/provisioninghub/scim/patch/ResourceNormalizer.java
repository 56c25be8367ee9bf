package io.provisioninghub.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.schema.AttributeDefinition;
import io.provisioninghub.scim.schema.InputRules;
import io.provisioninghub.scim.schema.ResolvedAttribute;
import io.provisioninghub.scim.schema.ResourceKind;
import io.provisioninghub.scim.schema.ResourceValidator;
import io.provisioninghub.scim.schema.ScimSchemas;
import io.provisioninghub.scim.schema.TenantSchemas;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Validates and normalizes POST and PUT bodies. Drops what clients may not set (id, meta, read-only
 * attributes), nulls and empty arrays; coerces Entra's "True"/"False" strings; keeps extension
 * objects declared in {@code schemas}; drops core attributes the schema does not define. The body
 * must pass {@link InputRules} and the result {@link ResourceValidator#validate}
 * (docs/input-contract.md).
 */
public final class ResourceNormalizer {

  private ResourceNormalizer() {}

  public static NormalizedResource forCreate(ResourceKind kind, JsonNode body) {
    return normalize(kind, body, TenantSchemas.NONE);
  }

  /** A POST body of a tenant with its own extension schemas (and maybe strict mode). */
  public static NormalizedResource forCreate(
      ResourceKind kind, JsonNode body, TenantSchemas tenant) {
    return normalize(kind, body, tenant);
  }

  /** A PUT body: the same rules as a create; the caller keeps the stored id and meta. */
  public static NormalizedResource forReplace(ResourceKind kind, JsonNode body) {
    return normalize(kind, body, TenantSchemas.NONE);
  }

  /** A PUT body of a tenant with its own extension schemas. */
  public static NormalizedResource forReplace(
      ResourceKind kind, JsonNode body, TenantSchemas tenant) {
    return normalize(kind, body, tenant);
  }

  private static NormalizedResource normalize(
      ResourceKind kind, JsonNode body, TenantSchemas tenant) {
    if (body == null || !body.isObject()) {
      throw new BadRequestException(ScimType.invalidSyntax, "The body must be a JSON object");
    }
    // Depth, duplicate names and text first: also for attributes dropped below.
    InputRules.checkTree(body, "");
    Set<String> declared = declaredSchemas(kind, body, tenant);
    ObjectNode doc = Values.JSON.objectNode();
    ArrayNode schemas = doc.putArray("schemas");
    declared.forEach(schemas::add);
    Set<String> members = new LinkedHashSet<>();

    Iterator<Map.Entry<String, JsonNode>> it = body.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      String lower = key.toLowerCase(Locale.ROOT);
      if (lower.equals("schemas") || lower.equals("id") || lower.equals("meta")) {
        continue;
      }
      if (lower.startsWith("urn:")) {
        extension(kind, doc, declared, key, value, tenant);
        continue;
      }
      if (kind == ResourceKind.GROUP && lower.equals("members")) {
        members.addAll(memberIds(value));
        continue;
      }
      Optional<ResolvedAttribute> attr =
          ScimSchemas.resolveIn(kind, kind.coreSchema(), key, tenant);
      if (attr.isEmpty() || key.contains(".")) {
        continue; // not an attribute we store
      }
      AttributeDefinition def = attr.get().attribute();
      if (def.isReadOnly()) {
        continue;
      }
      if (def.required() && !value.isTextual()) {
        throw new BadRequestException(
            ScimType.invalidValue, "'" + def.name() + "' must be a non-blank string");
      }
      JsonNode coerced = Values.coerce(value, def, def.name());
      if (coerced != null && !(coerced.isArray() && coerced.isEmpty())) {
        doc.set(def.name(), coerced);
      }
    }
    requireName(kind, doc);
    for (JsonNode s : Values.JSON.arrayNode().addAll(schemas)) {
      String urn = s.asText();
      if (ScimSchemas.isExtensionUrn(urn, tenant) && !doc.has(urn)) {
        // Declared but empty: the document says nothing in that schema.
        removeText(schemas, urn);
      }
    }
    ResourceValidator.validate(kind, doc, tenant);
    return new NormalizedResource(doc, members);
  }

  private static Set<String> declaredSchemas(
      ResourceKind kind, JsonNode body, TenantSchemas tenant) {
    JsonNode schemas = PatchParser.field(body, "schemas");
    if (schemas == null || !schemas.isArray()) {
      throw new BadRequestException(
          ScimType.invalidSyntax, "'schemas' must be an array including " + kind.coreSchema());
    }
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode s : schemas) {
      if (!s.isTextual() || s.textValue().isBlank()) {
        throw new BadRequestException(ScimType.invalidSyntax, "'schemas' must hold URIs");
      }
      String urn = s.textValue().strip();
      out.add(ScimSchemas.knownSchemaUrn(kind, urn, tenant).orElse(urn));
    }
    if (!out.contains(kind.coreSchema())) {
      throw new BadRequestException(
          ScimType.invalidSyntax, "'schemas' must include " + kind.coreSchema());
    }
    return out;
  }

  private static void extension(
      ResourceKind kind,
      ObjectNode doc,
      Set<String> declared,
      String key,
      JsonNode value,
      TenantSchemas tenant) {
    Optional<String> known = ScimSchemas.knownSchemaUrn(kind, key, tenant);
    if (known.isPresent() && known.get().equals(kind.coreSchema())) {
      return; // a core schema key holds nothing we accept
    }
    if (value == null || value.isNull()) {
      return;
    }
    if (!value.isObject()) {
      throw new BadRequestException(ScimType.invalidValue, "'" + key + "' must be an object");
    }
    if (known.isPresent()) {
      String urn = known.get();
      boolean custom = tenant.schema(urn).isPresent();
      ObjectNode ext = Values.JSON.objectNode();
      Iterator<Map.Entry<String, JsonNode>> it = value.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        Optional<ResolvedAttribute> attr = ScimSchemas.resolveIn(kind, urn, e.getKey(), tenant);
        if (attr.isEmpty() && custom && !e.getKey().contains(".")) {
          // Not declared in the tenant's schema: kept as sent (ResourceValidator refuses it in
          // strict mode), as an attribute of an undeclared extension is.
          JsonNode kept = Values.dropNulls(e.getValue());
          if (kept != null) {
            ext.set(e.getKey(), kept);
          }
          continue;
        }
        if (attr.isEmpty() || e.getKey().contains(".") || attr.get().attribute().isReadOnly()) {
          continue;
        }
        AttributeDefinition def = attr.get().attribute();
        JsonNode coerced = Values.coerce(e.getValue(), def, urn + ":" + def.name());
        if (coerced != null) {
          ext.set(def.name(), coerced);
        }
      }
      if (!ext.isEmpty()) {
        doc.set(urn, ext);
        addText((ArrayNode) doc.get("schemas"), urn);
      }
      return;
    }
    boolean isDeclared = declared.stream().anyMatch(d -> d.equalsIgnoreCase(key));
    if (!isDeclared) {
      throw new BadRequestException(
          ScimType.invalidSyntax, "Extension '" + key + "' is not listed in 'schemas'");
    }
    JsonNode kept = Values.dropNulls(value);
    if (kept != null && !kept.isEmpty()) {
      doc.set(key, kept);
    }
  }

  private static void requireName(ResourceKind kind, ObjectNode doc) {
    String name = kind == ResourceKind.USER ? "userName" : "displayName";
    JsonNode v = doc.get(name);
    if (v == null || !v.isTextual() || v.textValue().isBlank()) {
      throw new BadRequestException(
          ScimType.invalidValue, "'" + name + "' is required and must be a non-blank string");
    }
  }

  static Set<String> memberIds(JsonNode value) {
    Set<String> ids = new LinkedHashSet<>();
    if (value == null || value.isNull()) {
      return ids;
    }
    if (!value.isArray()) {
      throw new BadRequestException(ScimType.invalidValue, "'members' must be an array");
    }
    for (JsonNode m : value) {
      JsonNode id = m.isObject() ? PatchParser.field(m, "value") : null;
      if (id == null || !id.isTextual()) {
        throw new BadRequestException(
            ScimType.invalidValue, "Each member must be an object with a string 'value'");
      }
      ids.add(uuid(id.textValue()));
    }
    return ids;
  }

  private static String uuid(String text) {
    String t = text.strip();
    if (t.length() == 36) {
      try {
        return UUID.fromString(t).toString();
      } catch (IllegalArgumentException e) {
        // fall through
      }
    }
    throw new BadRequestException(ScimType.invalidValue, "'" + text + "' is not a member id");
  }

  private static void addText(ArrayNode array, String text) {
    for (JsonNode n : array) {
      if (n.asText().equalsIgnoreCase(text)) {
        return;
      }
    }
    array.add(text);
  }

  private static void removeText(ArrayNode array, String text) {
    for (int i = array.size() - 1; i >= 0; i--) {
      if (array.get(i).asText().equals(text)) {
        array.remove(i);
      }
    }
  }
}
