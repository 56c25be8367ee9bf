package io.provisioninghub.scim.schema;

/** The SCIM resource types this service stores. */
public enum ResourceKind {
  USER("User", "/Users", ScimSchemas.CORE_USER),
  GROUP("Group", "/Groups", ScimSchemas.CORE_GROUP);

  private final String resourceTypeName;
  private final String endpoint;
  private final String coreSchema;

  ResourceKind(String resourceTypeName, String endpoint, String coreSchema) {
    this.resourceTypeName = resourceTypeName;
    this.endpoint = endpoint;
    this.coreSchema = coreSchema;
  }

  /** The {@code meta.resourceType} and ResourceType {@code id}: "User" or "Group". */
  public String resourceTypeName() {
    return resourceTypeName;
  }

  public String endpoint() {
    return endpoint;
  }

  public String coreSchema() {
    return coreSchema;
  }
}
