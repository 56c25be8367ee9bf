package io.provisioninghub.scim.schema;

import io.provisioninghub.scim.schema.AttributeDefinition.Mutability;
import io.provisioninghub.scim.schema.AttributeDefinition.Returned;
import io.provisioninghub.scim.schema.AttributeDefinition.Type;
import io.provisioninghub.scim.schema.AttributeDefinition.Uniqueness;
import java.util.ArrayList;
import java.util.List;

/** Terse construction of the schema tables in {@link ScimSchemas}; defaults are RFC 7643's. */
final class AttributeBuilder {

  private final String name;
  private final String description;
  private Type type = Type.STRING;
  private boolean multiValued;
  private boolean required;
  private boolean caseExact;
  private Mutability mutability = Mutability.READ_WRITE;
  private Returned returned = Returned.DEFAULT;
  private Uniqueness uniqueness = Uniqueness.NONE;
  private final List<AttributeBuilder> subAttributes = new ArrayList<>();
  private List<String> canonicalValues = List.of();
  private List<String> referenceTypes = List.of();

  private AttributeBuilder(String name, Type type, String description) {
    this.name = name;
    this.type = type;
    this.description = description;
  }

  static AttributeBuilder string(String name, String description) {
    return new AttributeBuilder(name, Type.STRING, description);
  }

  static AttributeBuilder bool(String name, String description) {
    return new AttributeBuilder(name, Type.BOOLEAN, description);
  }

  static AttributeBuilder dateTime(String name, String description) {
    return new AttributeBuilder(name, Type.DATE_TIME, description);
  }

  static AttributeBuilder binary(String name, String description) {
    return new AttributeBuilder(name, Type.BINARY, description);
  }

  static AttributeBuilder reference(String name, String description, String... referenceTypes) {
    AttributeBuilder b = new AttributeBuilder(name, Type.REFERENCE, description);
    b.referenceTypes = List.of(referenceTypes);
    b.caseExact = true;
    return b;
  }

  static AttributeBuilder complex(String name, String description, AttributeBuilder... subs) {
    AttributeBuilder b = new AttributeBuilder(name, Type.COMPLEX, description);
    b.subAttributes.addAll(List.of(subs));
    return b;
  }

  /**
   * The usual multi-valued complex attribute of RFC 7643 section 2.4: value, display, type and
   * primary, with {@code types} as the canonical values of {@code type}.
   */
  static AttributeBuilder multiValued(
      String name, String description, AttributeBuilder value, String... types) {
    AttributeBuilder type = string("type", "A label for the value's function.");
    type.canonicalValues = List.of(types);
    return complex(
            name,
            description,
            value,
            string("display", "A human-readable name, primarily used for display purposes."),
            type,
            bool("primary", "Whether this is the primary value; at most one value is primary."))
        .multiValued();
  }

  AttributeBuilder multiValued() {
    this.multiValued = true;
    return this;
  }

  AttributeBuilder required() {
    this.required = true;
    return this;
  }

  AttributeBuilder caseExact() {
    this.caseExact = true;
    return this;
  }

  AttributeBuilder mutability(Mutability mutability) {
    this.mutability = mutability;
    return this;
  }

  AttributeBuilder readOnly() {
    return mutability(Mutability.READ_ONLY);
  }

  AttributeBuilder returned(Returned returned) {
    this.returned = returned;
    return this;
  }

  AttributeBuilder uniqueness(Uniqueness uniqueness) {
    this.uniqueness = uniqueness;
    return this;
  }

  AttributeBuilder canonical(String... values) {
    this.canonicalValues = List.of(values);
    return this;
  }

  AttributeDefinition build(String schemaUrn) {
    List<AttributeDefinition> subs = subAttributes.stream().map(s -> s.build(schemaUrn)).toList();
    return new AttributeDefinition(
        schemaUrn,
        name,
        type,
        multiValued,
        description,
        required,
        caseExact,
        mutability,
        returned,
        uniqueness,
        subs,
        canonicalValues,
        referenceTypes);
  }
}
