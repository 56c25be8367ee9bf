package io.provisioninghub.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A tenant's own SCIM extension schema (RFC 7643 section 7), declared through the registry's admin
 * API and carried to the gateways in {@link TenantSnapshot#extensionSchemas()}. Characteristics are
 * written with their SCIM wire names ({@code "string"}, {@code "readWrite"}, {@code "server"}); the
 * registry validates a declaration before it stores or publishes it (scim-core {@code
 * TenantSchemas}), so a gateway can rely on what it reads here.
 *
 * @param urn the schema's id, e.g. {@code urn:contoso:params:scim:schemas:extension:hr:2.0:User}
 * @param resourceType the resource type it extends
 * @param name a short name for people
 * @param description what it is for
 * @param attributes its attributes, in declaration order
 */
public record ExtensionSchema(
    String urn,
    ResourceType resourceType,
    String name,
    String description,
    List<Attribute> attributes) {

  public ExtensionSchema {
    attributes = attributes == null ? List.of() : List.copyOf(attributes);
  }

  /**
   * One attribute. Absent characteristics take RFC 7643's defaults: not multi-valued, not required,
   * not case-exact, readWrite, uniqueness none.
   *
   * @param name the attribute name (RFC 7643 ATTRNAME)
   * @param type string, boolean, integer, decimal, dateTime, reference or complex
   * @param multiValued whether the value is an array
   * @param description what it holds
   * @param required whether a resource that carries this extension must give it
   * @param caseExact whether string comparison (filters, uniqueness) respects case
   * @param mutability readWrite, immutable, readOnly or writeOnly
   * @param uniqueness none, server or global (global is treated as server: one tenant is all we
   *     see)
   * @param subAttributes for a complex attribute, its simple sub-attributes
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Attribute(
      String name,
      String type,
      Boolean multiValued,
      String description,
      Boolean required,
      Boolean caseExact,
      String mutability,
      String uniqueness,
      List<Attribute> subAttributes) {

    public Attribute {
      subAttributes = subAttributes == null ? null : List.copyOf(subAttributes);
    }

    /** A simple attribute with defaults for everything but its name and type. */
    public static Attribute of(String name, String type) {
      return new Attribute(name, type, null, null, null, null, null, null, null);
    }
  }
}
