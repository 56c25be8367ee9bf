package io.provisioninghub.scim.schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.scim.error.ResourceNotFoundException;
import java.util.List;

/** Builds the RFC 7644 section 4 documents. Every field is set; none is JSON null. */
final class DiscoveryDocuments {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> SCHEMA_URNS =
      List.of(ScimSchemas.CORE_USER, ScimSchemas.ENTERPRISE_USER, ScimSchemas.CORE_GROUP);

  private DiscoveryDocuments() {}

  static ObjectNode schemasListResponse(String baseUrl, TenantSchemas tenant) {
    ArrayNode resources = MAPPER.createArrayNode();
    SCHEMA_URNS.forEach(urn -> resources.add(schema(urn, baseUrl, tenant)));
    tenant.schemas().forEach(s -> resources.add(custom(s, baseUrl)));
    return listResponse(resources);
  }

  static ObjectNode schema(String urn, String baseUrl, TenantSchemas tenant) {
    var declared = tenant.schema(urn);
    if (declared.isPresent()) {
      return custom(declared.get(), baseUrl);
    }
    String canonical =
        SCHEMA_URNS.stream()
            .filter(u -> u.equalsIgnoreCase(urn))
            .findFirst()
            .orElseThrow(() -> new ResourceNotFoundException("Schema " + urn + " not found"));
    ObjectNode doc = MAPPER.createObjectNode();
    doc.putArray("schemas").add(ScimSchemas.SCHEMA);
    doc.put("id", canonical);
    switch (canonical) {
      case ScimSchemas.CORE_USER -> {
        doc.put("name", "User");
        doc.put("description", "User Account");
      }
      case ScimSchemas.ENTERPRISE_USER -> {
        doc.put("name", "EnterpriseUser");
        doc.put("description", "Enterprise User");
      }
      default -> {
        doc.put("name", "Group");
        doc.put("description", "Group");
      }
    }
    ArrayNode attributes = doc.putArray("attributes");
    ScimSchemas.attributes(canonical).forEach(a -> attributes.add(attribute(a)));
    ObjectNode meta = doc.putObject("meta");
    meta.put("resourceType", "Schema");
    meta.put("location", trim(baseUrl) + "/Schemas/" + canonical);
    return doc;
  }

  /** A schema the tenant declared, in the same shape as the built-in ones. */
  private static ObjectNode custom(TenantSchemas.CustomSchema s, String baseUrl) {
    ObjectNode doc = MAPPER.createObjectNode();
    doc.putArray("schemas").add(ScimSchemas.SCHEMA);
    doc.put("id", s.urn());
    doc.put("name", s.name());
    doc.put("description", s.description());
    ArrayNode attributes = doc.putArray("attributes");
    s.attributes().forEach(a -> attributes.add(attribute(a)));
    ObjectNode meta = doc.putObject("meta");
    meta.put("resourceType", "Schema");
    meta.put("location", trim(baseUrl) + "/Schemas/" + s.urn());
    return doc;
  }

  private static ObjectNode attribute(AttributeDefinition a) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("name", a.name());
    node.put("type", a.type().wire());
    node.put("multiValued", a.multiValued());
    node.put("description", a.description());
    node.put("required", a.required());
    if (a.isComplex()) {
      ArrayNode subs = node.putArray("subAttributes");
      a.subAttributes().forEach(s -> subs.add(attribute(s)));
    } else {
      node.put("caseExact", a.caseExact());
    }
    if (!a.canonicalValues().isEmpty()) {
      ArrayNode values = node.putArray("canonicalValues");
      a.canonicalValues().forEach(values::add);
    }
    if (!a.referenceTypes().isEmpty()) {
      ArrayNode types = node.putArray("referenceTypes");
      a.referenceTypes().forEach(types::add);
    }
    node.put("mutability", a.mutability().wire());
    node.put("returned", a.returned().wire());
    if (!a.isComplex()) {
      node.put("uniqueness", a.uniqueness().wire());
    }
    return node;
  }

  static ObjectNode resourceTypesListResponse(String baseUrl, TenantSchemas tenant) {
    ArrayNode resources = MAPPER.createArrayNode();
    for (ResourceKind kind : ResourceKind.values()) {
      resources.add(resourceType(kind, baseUrl, tenant));
    }
    return listResponse(resources);
  }

  static ObjectNode resourceType(String name, String baseUrl, TenantSchemas tenant) {
    for (ResourceKind kind : ResourceKind.values()) {
      if (kind.resourceTypeName().equalsIgnoreCase(name)) {
        return resourceType(kind, baseUrl, tenant);
      }
    }
    throw new ResourceNotFoundException("ResourceType " + name + " not found");
  }

  private static ObjectNode resourceType(ResourceKind kind, String baseUrl, TenantSchemas tenant) {
    ObjectNode doc = MAPPER.createObjectNode();
    doc.putArray("schemas").add(ScimSchemas.RESOURCE_TYPE);
    doc.put("id", kind.resourceTypeName());
    doc.put("name", kind.resourceTypeName());
    doc.put("endpoint", kind.endpoint());
    doc.put("description", kind == ResourceKind.USER ? "User Account" : "Group");
    doc.put("schema", kind.coreSchema());
    ArrayNode extensions = doc.putArray("schemaExtensions");
    if (kind == ResourceKind.USER) {
      ObjectNode enterprise = extensions.addObject();
      enterprise.put("schema", ScimSchemas.ENTERPRISE_USER);
      enterprise.put("required", false);
    }
    for (String urn : tenant.urns(kind)) {
      ObjectNode custom = extensions.addObject();
      custom.put("schema", urn);
      custom.put("required", false);
    }
    ObjectNode meta = doc.putObject("meta");
    meta.put("resourceType", "ResourceType");
    meta.put("location", trim(baseUrl) + "/ResourceTypes/" + kind.resourceTypeName());
    return doc;
  }

  static ObjectNode serviceProviderConfig(ServiceProviderSettings s, String baseUrl) {
    ObjectNode doc = MAPPER.createObjectNode();
    doc.putArray("schemas").add(ScimSchemas.SERVICE_PROVIDER_CONFIG);
    if (s.documentationUri() != null && !s.documentationUri().isBlank()) {
      doc.put("documentationUri", s.documentationUri());
    }
    doc.putObject("patch").put("supported", s.patchSupported());
    ObjectNode bulk = doc.putObject("bulk");
    bulk.put("supported", s.bulkSupported());
    bulk.put("maxOperations", s.bulkMaxOperations());
    bulk.put("maxPayloadSize", s.bulkMaxPayloadSize());
    ObjectNode filter = doc.putObject("filter");
    filter.put("supported", s.filterSupported());
    filter.put("maxResults", s.filterMaxResults());
    doc.putObject("changePassword").put("supported", s.changePasswordSupported());
    doc.putObject("sort").put("supported", s.sortSupported());
    doc.putObject("etag").put("supported", s.etagSupported());
    ArrayNode schemes = doc.putArray("authenticationSchemes");
    for (ServiceProviderSettings.AuthenticationScheme scheme : s.authenticationSchemes()) {
      ObjectNode node = schemes.addObject();
      node.put("type", scheme.type());
      node.put("name", scheme.name());
      node.put("description", scheme.description());
      if (scheme.specUri() != null) {
        node.put("specUri", scheme.specUri());
      }
      node.put("primary", scheme.primary());
    }
    ObjectNode meta = doc.putObject("meta");
    meta.put("resourceType", "ServiceProviderConfig");
    meta.put("location", trim(baseUrl) + "/ServiceProviderConfig");
    return doc;
  }

  private static ObjectNode listResponse(ArrayNode resources) {
    ObjectNode doc = MAPPER.createObjectNode();
    doc.putArray("schemas").add(ScimSchemas.LIST_RESPONSE);
    doc.put("totalResults", resources.size());
    doc.put("itemsPerPage", resources.size());
    doc.put("startIndex", 1);
    doc.set("Resources", resources);
    return doc;
  }

  private static String trim(String baseUrl) {
    String base = baseUrl == null ? "" : baseUrl;
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }
}
