package io.provisioninghub.scim.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.schema.AttributeDefinition.Type;
import io.provisioninghub.scim.schema.InputRules.Text;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a resource document in the form it is stored in (after {@code ResourceNormalizer} or
 * {@code PatchApplier}) against the schemas {@code /Schemas} serves: every attribute known, of its
 * type, single- or multi-valued as declared, canonical values where the schema lists them, text by
 * {@link InputRules}. The one check behind POST, PUT and the result of a PATCH. Attributes of
 * extension schemas we do not describe are checked by {@link InputRules} only.
 */
public final class ResourceValidator {

  /**
   * Longest userName, displayName and externalId (characters): the store indexes them with btree
   * indexes, whose entries must stay well under PostgreSQL's 2704-byte limit even in 4-byte UTF-8.
   */
  public static final int MAX_INDEXED_LENGTH = 512;

  private static final Set<String> INDEXED = Set.of("username", "displayname", "externalid");

  private ResourceValidator() {}

  /**
   * A whole resource as it is to be stored: also requires userName (User) or displayName (Group).
   * Throws {@link BadRequestException} (invalidValue, or invalidSyntax for the document's shape)
   * naming the attribute path.
   */
  public static void validate(ResourceKind kind, ObjectNode document) {
    check(kind, document, true, TenantSchemas.NONE);
  }

  /**
   * Like {@link #validate(ResourceKind, ObjectNode)}, also against the tenant's own extension
   * schemas: their attributes by type, multi-valuedness and {@code required} (when the resource
   * carries the extension); under strict mode, an extension the tenant did not declare is refused.
   */
  public static void validate(ResourceKind kind, ObjectNode document, TenantSchemas tenant) {
    check(kind, document, true, tenant);
  }

  /**
   * Like {@link #validate}, without requiring any attribute: for a document a PATCH produced, whose
   * required attributes the caller checks with its own message.
   */
  public static void validatePartial(ResourceKind kind, ObjectNode document) {
    check(kind, document, false, TenantSchemas.NONE);
  }

  /** Like {@link #validatePartial(ResourceKind, ObjectNode)}, with the tenant's own schemas. */
  public static void validatePartial(ResourceKind kind, ObjectNode document, TenantSchemas tenant) {
    check(kind, document, false, tenant);
  }

  private static void check(
      ResourceKind kind, ObjectNode doc, boolean requireName, TenantSchemas tenant) {
    InputRules.checkTree(doc, "");
    JsonNode schemas = doc.get("schemas");
    if (schemas != null) {
      if (!schemas.isArray()) {
        throw syntax("'schemas' must be an array of URIs");
      }
      for (JsonNode s : schemas) {
        if (!s.isTextual() || s.textValue().isBlank()) {
          throw syntax("'schemas' must hold URIs");
        }
        InputRules.checkString(s.textValue(), "schemas", Text.IDENTIFIER);
        foreignSchema(kind, s.textValue(), tenant)
            .ifPresent(
                other -> {
                  throw invalid(
                      "'" + s.textValue() + "' is a schema of " + other + " resources, not here");
                });
      }
    }
    Iterator<Map.Entry<String, JsonNode>> fields = doc.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      String lower = key.toLowerCase(Locale.ROOT);
      if (lower.equals("schemas")) {
        continue;
      }
      if (lower.startsWith("urn:")) {
        extension(kind, key, value, tenant, requireName);
        continue;
      }
      AttributeDefinition def =
          ScimSchemas.resolveIn(kind, kind.coreSchema(), key, tenant)
              .filter(r -> !r.hasSubAttribute())
              .map(ResolvedAttribute::attribute)
              .orElseThrow(
                  () ->
                      invalid(
                          "'"
                              + key
                              + "' is not an attribute of "
                              + kind.resourceTypeName()
                              + " (see /Schemas)"));
      if (def.name().equals("meta")) {
        if (!value.isObject() && !value.isNull()) {
          throw invalid("'meta' must be an object");
        }
        continue; // server-owned; never taken from a client
      }
      attribute(def, value, def.name(), INDEXED.contains(lower));
    }
    if (requireName) {
      String name = kind == ResourceKind.USER ? "userName" : "displayName";
      JsonNode v = doc.get(name);
      if (v == null || !v.isTextual() || v.textValue().isBlank()) {
        throw invalid("'" + name + "' is required and must be a non-blank string");
      }
    }
  }

  private static void extension(
      ResourceKind kind, String key, JsonNode value, TenantSchemas tenant, boolean whole) {
    Optional<String> known = ScimSchemas.knownSchemaUrn(kind, key, tenant);
    Optional<String> foreign = foreignSchema(kind, key, tenant);
    if (foreign.isPresent()) {
      throw invalid("'" + key + "' is a schema of " + foreign.get() + " resources, not here");
    }
    if (known.isPresent() && known.get().equals(kind.coreSchema())) {
      throw invalid("core attributes are not nested under '" + key + "'");
    }
    if (value.isNull()) {
      return;
    }
    if (!value.isObject()) {
      throw invalid("'" + key + "' must be an object");
    }
    if (known.isEmpty()) {
      if (tenant.strict()) {
        throw invalid(
            "'"
                + key
                + "' is not an extension schema declared for "
                + kind.resourceTypeName()
                + " (strict mode; see /Schemas)");
      }
      return; // an extension we do not describe: InputRules only, stored as sent
    }
    String urn = known.get();
    boolean custom = tenant.schema(urn).isPresent();
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String where = urn + ":" + e.getKey();
      Optional<AttributeDefinition> def =
          ScimSchemas.resolveIn(kind, urn, e.getKey(), tenant)
              .filter(r -> !r.hasSubAttribute())
              .map(ResolvedAttribute::attribute);
      if (def.isEmpty() && custom && !tenant.strict()) {
        continue; // not declared in the tenant's schema: InputRules only, stored as sent
      }
      AttributeDefinition d =
          def.orElseThrow(() -> invalid("'" + where + "' is not an attribute of " + urn));
      attribute(d, e.getValue(), urn + ":" + d.name(), false);
    }
    if (custom && whole) {
      // Required when the resource carries the extension: a whole document (POST, PUT) only; the
      // gateway checks a PATCH against a skeleton that holds nothing else.
      for (AttributeDefinition d : ScimSchemas.attributes(urn, tenant)) {
        if (d.required() && !hasValue(value, d.name())) {
          throw invalid("'" + urn + ":" + d.name() + "' is required");
        }
      }
    }
  }

  private static boolean hasValue(JsonNode extension, String name) {
    Iterator<Map.Entry<String, JsonNode>> fields = extension.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      if (e.getKey().equalsIgnoreCase(name)) {
        JsonNode v = e.getValue();
        return !(v == null
            || v.isNull()
            || (v.isArray() && v.isEmpty())
            || (v.isTextual() && v.textValue().isEmpty()));
      }
    }
    return false;
  }

  /** The resource type another schema URN this service serves belongs to, if any. */
  private static Optional<String> foreignSchema(
      ResourceKind kind, String urn, TenantSchemas tenant) {
    for (ResourceKind other : ResourceKind.values()) {
      if (other != kind && ScimSchemas.knownSchemaUrn(other, urn, tenant).isPresent()) {
        return Optional.of(other.resourceTypeName());
      }
    }
    return Optional.empty();
  }

  private static void attribute(
      AttributeDefinition def, JsonNode value, String where, boolean indexed) {
    if (value == null || value.isNull()) {
      return;
    }
    if (def.multiValued()) {
      if (!value.isArray()) {
        throw invalid("'" + where + "' is multi-valued and must be an array");
      }
      for (int i = 0; i < value.size(); i++) {
        single(def, value.get(i), where + "[" + i + "]", indexed);
      }
      return;
    }
    if (value.isArray()) {
      throw invalid("'" + where + "' is single-valued; an array is not allowed");
    }
    single(def, value, where, indexed);
  }

  private static void single(
      AttributeDefinition def, JsonNode value, String where, boolean indexed) {
    if (value == null || value.isNull()) {
      return;
    }
    if (!def.isComplex()) {
      scalar(def, value, where, indexed, false);
      return;
    }
    if (!value.isObject()) {
      throw invalid("'" + where + "' must be an object with the sub-attributes of " + def.name());
    }
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      Optional<AttributeDefinition> sub = def.subAttribute(e.getKey());
      // Unknown sub-attributes are dropped from new input; ones stored earlier are kept as they
      // are (InputRules checked their text).
      if (sub.isPresent()) {
        scalar(sub.get(), e.getValue(), where + "." + sub.get().name(), false, true);
      }
    }
  }

  private static void scalar(
      AttributeDefinition def, JsonNode value, String where, boolean indexed, boolean isSub) {
    if (value == null || value.isNull()) {
      return;
    }
    if (value.isContainerNode()) {
      throw invalid("'" + where + "' must be a single " + def.type().wire() + " value");
    }
    switch (def.type()) {
      case BOOLEAN -> {
        if (!value.isBoolean()) {
          throw invalid("'" + where + "' must be true or false");
        }
      }
      case INTEGER -> {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
          throw invalid("'" + where + "' must be an integer");
        }
      }
      case DECIMAL -> {
        if (!value.isNumber()) {
          throw invalid("'" + where + "' must be a number");
        }
      }
      default -> text(def, value, where, indexed, isSub);
    }
  }

  private static void text(
      AttributeDefinition def, JsonNode value, String where, boolean indexed, boolean isSub) {
    if (!value.isTextual()) {
      throw invalid("'" + where + "' must be a string (" + def.type().wire() + ")");
    }
    String s = value.textValue();
    InputRules.checkString(s, where, isIdentifier(def, isSub) ? Text.IDENTIFIER : Text.FREE_TEXT);
    if (indexed && s.length() > MAX_INDEXED_LENGTH) {
      throw invalid(
          "'" + where + "' is " + s.length() + " characters; at most " + MAX_INDEXED_LENGTH);
    }
    if (!def.canonicalValues().isEmpty()
        && def.canonicalValues().stream().noneMatch(c -> c.equalsIgnoreCase(s))) {
      throw invalid("'" + where + "' must be one of " + def.canonicalValues());
    }
    switch (def.type()) {
      case REFERENCE -> {
        try {
          new URI(s);
        } catch (URISyntaxException e) {
          throw invalid("'" + where + "' must be a URI reference: " + e.getReason());
        }
      }
      case DATE_TIME -> {
        try {
          DateTimeFormatter.ISO_DATE_TIME.parse(s);
        } catch (DateTimeParseException e) {
          throw invalid("'" + where + "' must be an xsd:dateTime, e.g. 2025-01-31T09:30:00Z");
        }
      }
      case BINARY -> {
        try {
          Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
          throw invalid("'" + where + "' must be base64 (RFC 4648)");
        }
      }
      default -> {
        // a string: the text rules above are all
      }
    }
  }

  /**
   * Identifiers allow no control character at all: id, userName, externalId, references, and the
   * value, type and $ref sub-attributes of complex attributes. Everything else is free text.
   */
  private static boolean isIdentifier(AttributeDefinition def, boolean isSub) {
    if (def.type() != Type.STRING) {
      return true;
    }
    String n = def.name().toLowerCase(Locale.ROOT);
    if (isSub) {
      return n.equals("value") || n.equals("type") || n.equals("$ref");
    }
    return n.equals("id") || n.equals("username") || n.equals("externalid");
  }

  private static BadRequestException invalid(String detail) {
    return new BadRequestException(ScimType.invalidValue, detail);
  }

  private static BadRequestException syntax(String detail) {
    return new BadRequestException(ScimType.invalidSyntax, detail);
  }
}
