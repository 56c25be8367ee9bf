package io.provisioninghub.scim.schema;

/**
 * An attribute path resolved against a schema: the top-level attribute, and the sub-attribute when
 * the path named one ({@code name.givenName}). Names are the schema's spelling, not the client's.
 */
public record ResolvedAttribute(
    String schemaUrn, AttributeDefinition attribute, AttributeDefinition subAttribute) {

  /** The attribute the path ends at. */
  public AttributeDefinition leaf() {
    return subAttribute != null ? subAttribute : attribute;
  }

  public boolean hasSubAttribute() {
    return subAttribute != null;
  }

  /** True for attributes of an extension schema, stored under the schema URN key. */
  public boolean isExtension() {
    return ScimSchemas.isExtension(schemaUrn);
  }

  /** The path in canonical spelling, URN-qualified for extension attributes. */
  public String canonicalPath() {
    String path = attribute.name() + (subAttribute != null ? "." + subAttribute.name() : "");
    return isExtension() ? schemaUrn + ":" + path : path;
  }
}
