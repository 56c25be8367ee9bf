package io.provisioninghub.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.scim.schema.AttributeDefinition;
import io.provisioninghub.scim.schema.AttributeDefinition.Returned;
import io.provisioninghub.scim.schema.ResolvedAttribute;
import io.provisioninghub.scim.schema.ResourceKind;
import io.provisioninghub.scim.schema.ScimSchemas;
import io.provisioninghub.scim.schema.TenantSchemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code attributes} and {@code excludedAttributes} query parameters (RFC 7644 section
 * 3.4.2.5). {@code id}, {@code schemas} and {@code meta} are always returned; attributes with
 * {@code returned: never} never are. With both parameters, {@code attributes} wins. Names that
 * match no attribute are ignored.
 */
public final class AttributeProjection {

  private static final List<String> ALWAYS = List.of("id", "schemas", "meta");

  private AttributeProjection() {}

  public static ObjectNode apply(
      ObjectNode resource, String attributes, String excludedAttributes, ResourceKind kind) {
    return apply(resource, attributes, excludedAttributes, kind, TenantSchemas.NONE);
  }

  /** Like the other {@code apply}, also for attributes of the tenant's own extension schemas. */
  public static ObjectNode apply(
      ObjectNode resource,
      String attributes,
      String excludedAttributes,
      ResourceKind kind,
      TenantSchemas tenant) {
    ObjectNode full = resource.deepCopy();
    stripNeverReturned(full, kind, tenant);
    List<String> wanted = split(attributes);
    if (!wanted.isEmpty()) {
      return include(full, wanted, kind, tenant);
    }
    for (String path : split(excludedAttributes)) {
      exclude(full, path, kind, tenant);
    }
    return full;
  }

  private static List<String> split(String list) {
    List<String> out = new ArrayList<>();
    if (list == null) {
      return out;
    }
    for (String part : list.split(",")) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
    }
    return out;
  }

  private static void stripNeverReturned(ObjectNode doc, ResourceKind kind, TenantSchemas tenant) {
    for (String urn : ScimSchemas.schemaUrns(kind, tenant)) {
      JsonNode container = urn.equals(kind.coreSchema()) ? doc : doc.get(urn);
      if (container instanceof ObjectNode c) {
        for (AttributeDefinition a : ScimSchemas.attributes(urn, tenant)) {
          if (a.returned() == Returned.NEVER) {
            c.remove(a.name());
          }
        }
      }
    }
  }

  private static ObjectNode include(
      ObjectNode full, List<String> wanted, ResourceKind kind, TenantSchemas tenant) {
    ObjectNode out = Values.JSON.objectNode();
    for (String key : ALWAYS) {
      if (full.has(key)) {
        out.set(key, full.get(key));
      }
    }
    for (String path : wanted) {
      Optional<String> wholeExtension = extensionKey(full, path);
      if (wholeExtension.isPresent()) {
        out.set(wholeExtension.get(), full.get(wholeExtension.get()));
        continue;
      }
      Optional<ResolvedAttribute> attr = ScimSchemas.resolve(kind, path, tenant);
      if (attr.isEmpty()) {
        copyCustom(full, out, path);
        continue;
      }
      ResolvedAttribute a = attr.get();
      JsonNode source = a.isExtension() ? full.get(a.schemaUrn()) : full;
      if (!(source instanceof ObjectNode src) || !src.has(a.attribute().name())) {
        continue;
      }
      ObjectNode target = a.isExtension() ? out.withObjectProperty(a.schemaUrn()) : out;
      JsonNode value = src.get(a.attribute().name());
      if (!a.hasSubAttribute()) {
        target.set(a.attribute().name(), value);
        continue;
      }
      String sub = a.subAttribute().name();
      if (value instanceof ArrayNode array) {
        ArrayNode projected =
            target.get(a.attribute().name()) instanceof ArrayNode existing
                ? existing
                : target.putArray(a.attribute().name());
        for (int i = 0; i < array.size(); i++) {
          ObjectNode element =
              i < projected.size() ? (ObjectNode) projected.get(i) : projected.addObject();
          if (array.get(i).has(sub)) {
            element.set(sub, array.get(i).get(sub));
          }
        }
      } else if (value instanceof ObjectNode object && object.has(sub)) {
        target.withObjectProperty(a.attribute().name()).set(sub, object.get(sub));
      }
    }
    return out;
  }

  private static void exclude(
      ObjectNode full, String path, ResourceKind kind, TenantSchemas tenant) {
    if (ALWAYS.stream().anyMatch(path::equalsIgnoreCase)) {
      return;
    }
    Optional<String> wholeExtension = extensionKey(full, path);
    if (wholeExtension.isPresent()) {
      full.remove(wholeExtension.get());
      return;
    }
    Optional<ResolvedAttribute> attr = ScimSchemas.resolve(kind, path, tenant);
    if (attr.isEmpty()) {
      if (kind == ResourceKind.GROUP && path.equalsIgnoreCase("members")) {
        full.remove("members");
      }
      return;
    }
    ResolvedAttribute a = attr.get();
    if (a.attribute().returned() == Returned.ALWAYS || a.attribute().name().equals("meta")) {
      return;
    }
    JsonNode container = a.isExtension() ? full.get(a.schemaUrn()) : full;
    if (!(container instanceof ObjectNode c)) {
      return;
    }
    if (!a.hasSubAttribute()) {
      c.remove(a.attribute().name());
    } else {
      JsonNode value = c.get(a.attribute().name());
      if (value instanceof ArrayNode array) {
        array.forEach(e -> ((ObjectNode) e).remove(a.subAttribute().name()));
      } else if (value instanceof ObjectNode object) {
        object.remove(a.subAttribute().name());
      }
    }
    if (a.isExtension() && c.isEmpty()) {
      full.remove(a.schemaUrn());
    }
  }

  /** The document key of a whole extension object named by {@code path}, if present. */
  private static Optional<String> extensionKey(ObjectNode doc, String path) {
    List<String> keys = Values.fieldNames(doc);
    return keys.stream()
        .filter(k -> k.toLowerCase(Locale.ROOT).startsWith("urn:") && k.equalsIgnoreCase(path))
        .findFirst();
  }

  /** {@code urn:custom...:User:attr} for an extension we do not describe. */
  private static void copyCustom(ObjectNode full, ObjectNode out, String path) {
    for (String key : Values.fieldNames(full)) {
      if (key.toLowerCase(Locale.ROOT).startsWith("urn:")
          && path.toLowerCase(Locale.ROOT).startsWith(key.toLowerCase(Locale.ROOT) + ":")
          && full.get(key) instanceof ObjectNode ext) {
        String attr = path.substring(key.length() + 1);
        for (String k : Values.fieldNames(ext)) {
          if (k.equalsIgnoreCase(attr)) {
            out.withObjectProperty(key).set(k, ext.get(k));
          }
        }
      }
    }
  }
}
