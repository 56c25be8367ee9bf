package io.provisioninghub.scim.schema;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One attribute of a SCIM schema with the characteristics of RFC 7643 section 2.2 and 7. {@code
 * schemaUrn} is the schema that defines the attribute (for sub-attributes: their parent's).
 */
public record AttributeDefinition(
    String schemaUrn,
    String name,
    Type type,
    boolean multiValued,
    String description,
    boolean required,
    boolean caseExact,
    Mutability mutability,
    Returned returned,
    Uniqueness uniqueness,
    List<AttributeDefinition> subAttributes,
    List<String> canonicalValues,
    List<String> referenceTypes) {

  public AttributeDefinition {
    subAttributes = List.copyOf(subAttributes);
    canonicalValues = List.copyOf(canonicalValues);
    referenceTypes = List.copyOf(referenceTypes);
  }

  /** RFC 7643 section 2.3 data types, with their wire names. */
  public enum Type {
    STRING("string"),
    BOOLEAN("boolean"),
    DECIMAL("decimal"),
    INTEGER("integer"),
    DATE_TIME("dateTime"),
    BINARY("binary"),
    REFERENCE("reference"),
    COMPLEX("complex");

    private final String wire;

    Type(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  /** RFC 7643 section 7 {@code mutability}. */
  public enum Mutability {
    READ_ONLY("readOnly"),
    READ_WRITE("readWrite"),
    IMMUTABLE("immutable"),
    WRITE_ONLY("writeOnly");

    private final String wire;

    Mutability(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  /** RFC 7643 section 7 {@code returned}. */
  public enum Returned {
    ALWAYS("always"),
    NEVER("never"),
    DEFAULT("default"),
    REQUEST("request");

    private final String wire;

    Returned(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  /** RFC 7643 section 7 {@code uniqueness}. */
  public enum Uniqueness {
    NONE("none"),
    SERVER("server"),
    GLOBAL("global");

    private final String wire;

    Uniqueness(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  public boolean isComplex() {
    return type == Type.COMPLEX;
  }

  /** A sub-attribute by name, case-insensitively. */
  public Optional<AttributeDefinition> subAttribute(String subName) {
    String wanted = subName.toLowerCase(Locale.ROOT);
    return subAttributes.stream()
        .filter(a -> a.name.toLowerCase(Locale.ROOT).equals(wanted))
        .findFirst();
  }

  /** True if clients may never set this attribute (readOnly), or not change it (immutable). */
  public boolean isReadOnly() {
    return mutability == Mutability.READ_ONLY;
  }
}
