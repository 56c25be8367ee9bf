package io.provisioninghub.scim.schema;

import static io.provisioninghub.scim.schema.AttributeBuilder.binary;
import static io.provisioninghub.scim.schema.AttributeBuilder.bool;
import static io.provisioninghub.scim.schema.AttributeBuilder.complex;
import static io.provisioninghub.scim.schema.AttributeBuilder.dateTime;
import static io.provisioninghub.scim.schema.AttributeBuilder.multiValued;
import static io.provisioninghub.scim.schema.AttributeBuilder.reference;
import static io.provisioninghub.scim.schema.AttributeBuilder.string;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.scim.schema.AttributeDefinition.Mutability;
import io.provisioninghub.scim.schema.AttributeDefinition.Returned;
import io.provisioninghub.scim.schema.AttributeDefinition.Uniqueness;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The schemas this service supports (RFC 7643 sections 3.1, 4.1, 4.2 and 4.3), attribute lookup by
 * path, and the discovery documents of RFC 7644 section 4.
 */
public final class ScimSchemas {

  public static final String CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  public static final String CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
  public static final String ENTERPRISE_USER =
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  public static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
  public static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
  public static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
  public static final String SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
  public static final String SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";
  public static final String RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
  public static final String SERVICE_PROVIDER_CONFIG =
      "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

  /**
   * A URI Entra ID sends in {@code schemas} of groups it provisions. It names no schema we could
   * describe; we accept it and keep it so the resource round-trips.
   */
  public static final String ENTRA_GROUP_SCHEMA =
      "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

  /** RFC 7643 section 3.1: attributes of every resource, defined by no particular schema. */
  static final List<AttributeDefinition> COMMON_USER = common(CORE_USER);

  static final List<AttributeDefinition> COMMON_GROUP = common(CORE_GROUP);

  static final List<AttributeDefinition> USER =
      List.of(
              string("userName", "Unique identifier for the user, used to sign in.")
                  .required()
                  .uniqueness(Uniqueness.SERVER),
              complex(
                  "name",
                  "The components of the user's name.",
                  string("formatted", "The full name, formatted for display."),
                  string("familyName", "The family name (last name in most Western languages)."),
                  string("givenName", "The given name (first name in most Western languages)."),
                  string("middleName", "The middle name(s)."),
                  string("honorificPrefix", "Honorific prefix, e.g. 'Ms.'."),
                  string("honorificSuffix", "Honorific suffix, e.g. 'III'.")),
              string("displayName", "The name of the user, suitable for display."),
              string("nickName", "The casual way to address the user."),
              reference("profileUrl", "A URI of the user's online profile.", "external"),
              string("title", "The user's title, such as 'Vice President'."),
              string("userType", "The relationship to the organization, e.g. 'Employee'."),
              string("preferredLanguage", "Preferred written or spoken language (RFC 7231)."),
              string("locale", "Default location for localizing currency, dates and numbers."),
              string("timezone", "Time zone in the IANA database format, e.g. 'Europe/Paris'."),
              bool("active", "Whether the user may sign in."),
              string(
                      "password",
                      "The user's password: write-only and never returned; kept only as a hash,"
                          + " and only if the tenant's password policy is 'hash'.")
                  .mutability(Mutability.WRITE_ONLY)
                  .returned(Returned.NEVER),
              multiValued(
                  "emails",
                  "Email addresses of the user.",
                  string("value", "Email address, canonicalized per RFC 5321."),
                  "work",
                  "home",
                  "other"),
              multiValued(
                  "phoneNumbers",
                  "Phone numbers of the user.",
                  string("value", "Phone number, as sent."),
                  "work",
                  "home",
                  "mobile",
                  "fax",
                  "pager",
                  "other"),
              multiValued(
                  "ims",
                  "Instant messaging addresses of the user.",
                  string("value", "Instant messaging address."),
                  "aim",
                  "gtalk",
                  "icq",
                  "xmpp",
                  "msn",
                  "skype",
                  "qq",
                  "yahoo"),
              multiValued(
                  "photos",
                  "URLs of images of the user.",
                  reference("value", "URL of a photo of the user.", "external"),
                  "photo",
                  "thumbnail"),
              complex(
                      "addresses",
                      "Physical mailing addresses of the user.",
                      string("formatted", "The full mailing address, formatted for display."),
                      string("streetAddress", "Street address component."),
                      string("locality", "City or locality."),
                      string("region", "State or region."),
                      string("postalCode", "Zip or postal code."),
                      string("country", "Country name component (ISO 3166-1 alpha-2)."),
                      string("type", "A label for the address's function.")
                          .canonical("work", "home", "other"),
                      bool("primary", "Whether this is the primary address."))
                  .multiValued(),
              complex(
                      "groups",
                      "Groups the user belongs to; managed through the Group resource.",
                      string("value", "The id of the group.").readOnly(),
                      reference("$ref", "The URI of the group.", "User", "Group").readOnly(),
                      string("display", "The group's displayName.").readOnly(),
                      string("type", "How the membership was derived.")
                          .readOnly()
                          .canonical("direct", "indirect"))
                  .multiValued()
                  .readOnly(),
              multiValued(
                  "entitlements",
                  "Entitlements of the user.",
                  string("value", "The entitlement."),
                  new String[0]),
              multiValued(
                  "roles", "Roles of the user.", string("value", "The role."), new String[0]),
              multiValued(
                  "x509Certificates",
                  "X.509 certificates of the user.",
                  binary("value", "A DER-encoded X.509 certificate, base64."),
                  new String[0]))
          .stream()
          .map(b -> b.build(CORE_USER))
          .toList();

  static final List<AttributeDefinition> ENTERPRISE =
      List.of(
              string("employeeNumber", "Identifier assigned by the organization."),
              string("costCenter", "Name of a cost center."),
              string("organization", "Name of an organization."),
              string("division", "Name of a division."),
              string("department", "Name of a department."),
              complex(
                  "manager",
                  "The user's manager.",
                  string("value", "The id of the manager's User resource."),
                  reference("$ref", "The URI of the manager's User resource.", "User"),
                  string("displayName", "The manager's displayName.").readOnly()))
          .stream()
          .map(b -> b.build(ENTERPRISE_USER))
          .toList();

  static final List<AttributeDefinition> GROUP =
      List.of(
              string("displayName", "A human-readable name for the group.")
                  .required()
                  .uniqueness(Uniqueness.SERVER),
              complex(
                      "members",
                      "Members of the group.",
                      string("value", "The id of the member resource.")
                          .mutability(Mutability.IMMUTABLE),
                      reference("$ref", "The URI of the member resource.", "User", "Group")
                          .mutability(Mutability.IMMUTABLE),
                      string("type", "The type of the member resource.")
                          .mutability(Mutability.IMMUTABLE)
                          .canonical("User", "Group"),
                      string("display", "A human-readable name for the member.").readOnly())
                  .multiValued())
          .stream()
          .map(b -> b.build(CORE_GROUP))
          .toList();

  private ScimSchemas() {}

  private static List<AttributeDefinition> common(String urn) {
    return List.of(
            string("id", "Identifier of the resource, assigned by the service provider.")
                .caseExact()
                .readOnly()
                .returned(Returned.ALWAYS)
                .uniqueness(Uniqueness.SERVER),
            string("externalId", "Identifier of the resource as defined by the client.")
                .caseExact(),
            complex(
                    "meta",
                    "Resource metadata maintained by the service provider.",
                    string("resourceType", "The name of the resource type.").caseExact().readOnly(),
                    dateTime("created", "When the resource was added.").readOnly(),
                    dateTime("lastModified", "When the resource was last changed.").readOnly(),
                    reference("location", "The URI of the resource.", "uri").readOnly(),
                    string("version", "The version (entity tag) of the resource.")
                        .caseExact()
                        .readOnly())
                .readOnly())
        .stream()
        .map(b -> b.build(urn))
        .toList();
  }

  /** The schema URNs a resource of this kind may carry, core first. */
  public static List<String> schemaUrns(ResourceKind kind) {
    return kind == ResourceKind.USER ? List.of(CORE_USER, ENTERPRISE_USER) : List.of(CORE_GROUP);
  }

  /** Like {@link #schemaUrns(ResourceKind)}, followed by the tenant's own extension schemas. */
  public static List<String> schemaUrns(ResourceKind kind, TenantSchemas tenant) {
    List<String> custom = tenant.urns(kind);
    if (custom.isEmpty()) {
      return schemaUrns(kind);
    }
    List<String> all = new ArrayList<>(schemaUrns(kind));
    all.addAll(custom);
    return all;
  }

  /** The attributes a schema defines (without the common id, externalId, meta). */
  public static List<AttributeDefinition> attributes(String schemaUrn) {
    return attributes(schemaUrn, TenantSchemas.NONE);
  }

  /** Like {@link #attributes(String)}, also for a schema the tenant declared. */
  public static List<AttributeDefinition> attributes(String schemaUrn, TenantSchemas tenant) {
    if (CORE_USER.equalsIgnoreCase(schemaUrn)) {
      return USER;
    }
    if (ENTERPRISE_USER.equalsIgnoreCase(schemaUrn)) {
      return ENTERPRISE;
    }
    if (CORE_GROUP.equalsIgnoreCase(schemaUrn)) {
      return GROUP;
    }
    return tenant.schema(schemaUrn).map(TenantSchemas.CustomSchema::attributes).orElse(List.of());
  }

  /** The common attributes id, externalId and meta of RFC 7643 section 3.1. */
  public static List<AttributeDefinition> commonAttributes(ResourceKind kind) {
    return kind == ResourceKind.USER ? COMMON_USER : COMMON_GROUP;
  }

  static boolean isExtension(String urn) {
    return !CORE_USER.equalsIgnoreCase(urn) && !CORE_GROUP.equalsIgnoreCase(urn);
  }

  /** True for extension schemas we define (the enterprise User extension). */
  public static boolean isExtensionUrn(String urn) {
    return ENTERPRISE_USER.equalsIgnoreCase(urn);
  }

  /** True for the enterprise User extension and every schema the tenant declared. */
  public static boolean isExtensionUrn(String urn, TenantSchemas tenant) {
    return isExtensionUrn(urn) || tenant.schema(urn).isPresent();
  }

  /** The canonical spelling of a schema URN this kind supports, matched case-insensitively. */
  public static Optional<String> knownSchemaUrn(ResourceKind kind, String urn) {
    return schemaUrns(kind).stream().filter(u -> u.equalsIgnoreCase(urn)).findFirst();
  }

  /** Like {@link #knownSchemaUrn(ResourceKind, String)}, also for the tenant's own schemas. */
  public static Optional<String> knownSchemaUrn(
      ResourceKind kind, String urn, TenantSchemas tenant) {
    return schemaUrns(kind, tenant).stream().filter(u -> u.equalsIgnoreCase(urn)).findFirst();
  }

  /**
   * The definition at {@code path}, case-insensitively: {@code userName}, {@code name.givenName},
   * {@code emails.value}, {@code urn:...:core:2.0:User:userName}, {@code
   * urn:...:enterprise:2.0:User:manager.value}. Unqualified names are core attributes.
   */
  public static Optional<AttributeDefinition> find(ResourceKind kind, String path) {
    return resolve(kind, path).map(ResolvedAttribute::leaf);
  }

  /** Like {@link #find}, but says which top-level attribute and schema the path went through. */
  public static Optional<ResolvedAttribute> resolve(ResourceKind kind, String path) {
    return resolve(kind, path, TenantSchemas.NONE);
  }

  /** Like {@link #resolve(ResourceKind, String)}, also through the tenant's own schemas. */
  public static Optional<ResolvedAttribute> resolve(
      ResourceKind kind, String path, TenantSchemas tenant) {
    if (path == null || path.isBlank()) {
      return Optional.empty();
    }
    String schema = kind.coreSchema();
    String rest = path;
    String lower = path.toLowerCase(Locale.ROOT);
    boolean qualified = false;
    for (String urn : schemaUrns(kind, tenant)) {
      String prefix = urn.toLowerCase(Locale.ROOT) + ":";
      if (lower.startsWith(prefix)) {
        schema = urn;
        rest = path.substring(prefix.length());
        qualified = true;
        break;
      }
    }
    if (!qualified && lower.startsWith("urn:")) {
      return Optional.empty();
    }
    return resolveIn(kind, schema, rest, tenant);
  }

  /** Resolves {@code attr} or {@code attr.sub} within one schema. */
  public static Optional<ResolvedAttribute> resolveIn(
      ResourceKind kind, String schema, String rest) {
    return resolveIn(kind, schema, rest, TenantSchemas.NONE);
  }

  /** Like {@link #resolveIn(ResourceKind, String, String)}, also in the tenant's own schemas. */
  public static Optional<ResolvedAttribute> resolveIn(
      ResourceKind kind, String schema, String rest, TenantSchemas tenant) {
    String[] parts = rest.split("\\.", -1);
    if (parts.length > 2) {
      return Optional.empty();
    }
    Optional<AttributeDefinition> top = topLevel(kind, schema, parts[0], tenant);
    if (top.isEmpty()) {
      return Optional.empty();
    }
    if (parts.length == 1) {
      return Optional.of(new ResolvedAttribute(top.get().schemaUrn(), top.get(), null));
    }
    return top.get()
        .subAttribute(parts[1])
        .map(sub -> new ResolvedAttribute(top.get().schemaUrn(), top.get(), sub));
  }

  private static Optional<AttributeDefinition> topLevel(
      ResourceKind kind, String schema, String name, TenantSchemas tenant) {
    String wanted = name.toLowerCase(Locale.ROOT);
    Optional<AttributeDefinition> inSchema =
        attributes(schema, tenant).stream()
            .filter(a -> a.name().toLowerCase(Locale.ROOT).equals(wanted))
            .findFirst();
    if (inSchema.isPresent() || !schema.equalsIgnoreCase(kind.coreSchema())) {
      return inSchema;
    }
    return commonAttributes(kind).stream()
        .filter(a -> a.name().toLowerCase(Locale.ROOT).equals(wanted))
        .findFirst();
  }

  // ---- discovery (RFC 7644 section 4) ----

  /** GET /Schemas: a ListResponse of every schema; locations under {@code baseUrl}. */
  public static ObjectNode schemasListResponse(String baseUrl) {
    return DiscoveryDocuments.schemasListResponse(baseUrl, TenantSchemas.NONE);
  }

  /** GET /Schemas for one tenant: the built-in schemas, then the tenant's own. */
  public static ObjectNode schemasListResponse(String baseUrl, TenantSchemas tenant) {
    return DiscoveryDocuments.schemasListResponse(baseUrl, tenant);
  }

  /**
   * GET /Schemas/{urn}, or {@link io.provisioninghub.scim.error.ResourceNotFoundException} for a
   * URN we do not define.
   */
  public static ObjectNode schema(String urn, String baseUrl) {
    return DiscoveryDocuments.schema(urn, baseUrl, TenantSchemas.NONE);
  }

  /** GET /Schemas/{urn} for one tenant: also its own schemas; another tenant's are not found. */
  public static ObjectNode schema(String urn, String baseUrl, TenantSchemas tenant) {
    return DiscoveryDocuments.schema(urn, baseUrl, tenant);
  }

  /** GET /ResourceTypes. */
  public static ObjectNode resourceTypesListResponse(String baseUrl) {
    return DiscoveryDocuments.resourceTypesListResponse(baseUrl, TenantSchemas.NONE);
  }

  /** GET /ResourceTypes for one tenant: its own schemas listed in schemaExtensions. */
  public static ObjectNode resourceTypesListResponse(String baseUrl, TenantSchemas tenant) {
    return DiscoveryDocuments.resourceTypesListResponse(baseUrl, tenant);
  }

  /** GET /ResourceTypes/{name} ("User" or "Group", case-insensitive), else not found. */
  public static ObjectNode resourceType(String name, String baseUrl) {
    return DiscoveryDocuments.resourceType(name, baseUrl, TenantSchemas.NONE);
  }

  /** GET /ResourceTypes/{name} for one tenant. */
  public static ObjectNode resourceType(String name, String baseUrl, TenantSchemas tenant) {
    return DiscoveryDocuments.resourceType(name, baseUrl, tenant);
  }

  /** GET /ServiceProviderConfig. */
  public static ObjectNode serviceProviderConfig(ServiceProviderSettings settings, String baseUrl) {
    return DiscoveryDocuments.serviceProviderConfig(settings, baseUrl);
  }
}
