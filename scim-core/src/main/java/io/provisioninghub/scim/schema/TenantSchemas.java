package io.provisioninghub.scim.schema;

import io.provisioninghub.contracts.ExtensionSchema;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.TenantExtensions;
import io.provisioninghub.scim.schema.AttributeDefinition.Mutability;
import io.provisioninghub.scim.schema.AttributeDefinition.Returned;
import io.provisioninghub.scim.schema.AttributeDefinition.Type;
import io.provisioninghub.scim.schema.AttributeDefinition.Uniqueness;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The extension schemas one tenant declared (docs/adr/0012), validated, as attribute definitions
 * the rest of scim-core works with, and whether the tenant is strict about extensions it did not
 * declare. {@link #NONE} is a tenant without any: the built-in schemas only, undeclared extensions
 * stored as sent.
 *
 * <p>Everything a declaration names ends up in SQL text as a JSON key ({@code FilterToSql}), so the
 * syntax allowed for URNs and attribute names is deliberately narrower than RFC 8141 and RFC 7643:
 * letters, digits, '.', '_', '-' and ':' in a URN; RFC 7643's ATTRNAME for attributes.
 */
public final class TenantSchemas {

  /** No declared schema, not strict. */
  public static final TenantSchemas NONE = new TenantSchemas(List.of(), false, List.of());

  /** At most this many schemas per tenant. */
  public static final int MAX_SCHEMAS = 20;

  /** At most this many attributes per schema (sub-attributes counted with their parent). */
  public static final int MAX_ATTRIBUTES = 100;

  private static final Pattern URN =
      Pattern.compile("urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}(:[A-Za-z0-9._-]+)+");
  private static final int MAX_URN_LENGTH = 200;
  private static final Pattern ATTRNAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
  private static final int MAX_TEXT = 1000;
  private static final Set<String> RESERVED_PREFIXES =
      Set.of("urn:ietf:params:scim:schemas:core:", "urn:ietf:params:scim:api:");

  /** One declared schema in the form scim-core uses. */
  public record CustomSchema(
      String urn,
      ResourceKind kind,
      String name,
      String description,
      List<AttributeDefinition> attributes) {

    public CustomSchema {
      attributes = List.copyOf(attributes);
    }
  }

  private final List<CustomSchema> schemas;
  private final boolean strict;
  private final List<ExtensionSchema> declared;

  private TenantSchemas(
      List<CustomSchema> schemas, boolean strict, List<ExtensionSchema> declared) {
    this.schemas = List.copyOf(schemas);
    this.strict = strict;
    this.declared = List.copyOf(declared);
  }

  /**
   * The schemas a command carries ({@link ProvisioningCommand#extensions()}), which the gateway
   * built from a valid declaration; null is {@link #NONE}.
   */
  public static TenantSchemas of(TenantExtensions extensions) {
    return extensions == null ? NONE : of(extensions.schemas(), extensions.strict());
  }

  /** The declarations these were built from, to carry in a command; null when there are none. */
  public TenantExtensions extensions() {
    return declared.isEmpty() && !strict ? null : new TenantExtensions(declared, strict);
  }

  /**
   * Validates and converts a tenant's declarations.
   *
   * @throws InvalidSchemaException naming what is wrong, for the admin who declared it
   */
  public static TenantSchemas of(List<ExtensionSchema> declared, boolean strict) {
    if (declared == null || declared.isEmpty()) {
      return strict ? new TenantSchemas(List.of(), true, List.of()) : NONE;
    }
    if (declared.size() > MAX_SCHEMAS) {
      throw new InvalidSchemaException("at most " + MAX_SCHEMAS + " extension schemas per tenant");
    }
    List<CustomSchema> out = new ArrayList<>();
    Set<String> urns = new HashSet<>();
    for (ExtensionSchema s : declared) {
      CustomSchema schema = schema(s);
      if (!urns.add(schema.urn().toLowerCase(Locale.ROOT))) {
        throw new InvalidSchemaException("schema " + schema.urn() + " is declared twice");
      }
      out.add(schema);
    }
    // A URN that is a prefix of another (plus ':') would make "urn:a:b:attr" ambiguous.
    for (String a : urns) {
      for (String b : urns) {
        if (!a.equals(b) && b.startsWith(a + ":")) {
          throw new InvalidSchemaException(
              "schema URN " + a + " is a prefix of " + b + "; attribute paths would be ambiguous");
        }
      }
    }
    return new TenantSchemas(out, strict, declared);
  }

  /** Whether attributes of undeclared extension schemas are refused rather than stored. */
  public boolean strict() {
    return strict;
  }

  public List<CustomSchema> schemas() {
    return schemas;
  }

  /** The declared URNs that extend {@code kind}, in declaration order. */
  public List<String> urns(ResourceKind kind) {
    return schemas.stream().filter(s -> s.kind() == kind).map(CustomSchema::urn).toList();
  }

  /** A declared schema by URN, case-insensitively. */
  public Optional<CustomSchema> schema(String urn) {
    return schemas.stream().filter(s -> s.urn().equalsIgnoreCase(urn)).findFirst();
  }

  /** Attributes declared with {@code uniqueness} server or global, for {@code kind}. */
  public List<ResolvedAttribute> uniqueAttributes(ResourceKind kind) {
    List<ResolvedAttribute> out = new ArrayList<>();
    for (CustomSchema s : schemas) {
      if (s.kind() != kind) {
        continue;
      }
      for (AttributeDefinition a : s.attributes()) {
        if (a.uniqueness() != Uniqueness.NONE) {
          out.add(new ResolvedAttribute(s.urn(), a, null));
        }
      }
    }
    return out;
  }

  private static CustomSchema schema(ExtensionSchema s) {
    String urn = s.urn() == null ? "" : s.urn().strip();
    if (urn.length() > MAX_URN_LENGTH || !URN.matcher(urn).matches()) {
      throw new InvalidSchemaException(
          "urn '"
              + urn
              + "' is not a URN of letters, digits, '.', '_', '-' separated by ':' (at most "
              + MAX_URN_LENGTH
              + " characters), e.g."
              + " urn:ietf:params:scim:schemas:extension:contoso:2.0:User");
    }
    String lower = urn.toLowerCase(Locale.ROOT);
    for (ResourceKind kind : ResourceKind.values()) {
      for (String builtIn : ScimSchemas.schemaUrns(kind)) {
        String b = builtIn.toLowerCase(Locale.ROOT);
        if (lower.equals(b)) {
          throw new InvalidSchemaException(urn + " is a built-in schema and cannot be redeclared");
        }
        if (lower.startsWith(b + ":") || b.startsWith(lower + ":")) {
          throw new InvalidSchemaException(
              urn + " overlaps the built-in " + builtIn + "; attribute paths would be ambiguous");
        }
      }
    }
    if (RESERVED_PREFIXES.stream().anyMatch(lower::startsWith)) {
      throw new InvalidSchemaException(
          urn + " is in a namespace RFC 7643/7644 reserve for core schemas and messages");
    }
    if (s.resourceType() == null) {
      throw new InvalidSchemaException(urn + ": resourceType must be User or Group");
    }
    ResourceKind kind =
        s.resourceType() == ResourceType.User ? ResourceKind.USER : ResourceKind.GROUP;
    String name = text(s.name(), urn + ": name", 100);
    if (name == null) {
      // urn:…:extension:ContosoHr:2.0:User is named ContosoHr; a shorter URN by its last part.
      String[] parts = urn.split(":");
      name = parts.length >= 4 ? parts[parts.length - 3] : parts[parts.length - 1];
    }
    String description = text(s.description(), urn + ": description", MAX_TEXT);
    if (s.attributes().isEmpty()) {
      throw new InvalidSchemaException(urn + ": declare at least one attribute");
    }
    List<AttributeDefinition> attributes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int count = 0;
    for (ExtensionSchema.Attribute a : s.attributes()) {
      AttributeDefinition def = attribute(urn, a, false);
      if (!names.add(def.name().toLowerCase(Locale.ROOT))) {
        throw new InvalidSchemaException(urn + ": attribute " + def.name() + " is declared twice");
      }
      count += 1 + def.subAttributes().size();
      attributes.add(def);
    }
    if (count > MAX_ATTRIBUTES) {
      throw new InvalidSchemaException(
          urn + ": at most " + MAX_ATTRIBUTES + " attributes per schema, sub-attributes included");
    }
    return new CustomSchema(urn, kind, name, description == null ? "" : description, attributes);
  }

  private static AttributeDefinition attribute(
      String urn, ExtensionSchema.Attribute a, boolean isSub) {
    String name = a.name() == null ? "" : a.name().strip();
    if (!ATTRNAME.matcher(name).matches()) {
      throw new InvalidSchemaException(
          urn
              + ": attribute name '"
              + name
              + "' must start with a letter and hold only letters, digits, '_' and '-' (at most 64)");
    }
    String where = urn + ":" + name;
    Type type = type(a.type(), where);
    boolean multiValued = Boolean.TRUE.equals(a.multiValued());
    Mutability mutability = mutability(a.mutability(), where);
    Uniqueness uniqueness = uniqueness(a.uniqueness(), where);
    if (uniqueness != Uniqueness.NONE
        && (multiValued || type == Type.COMPLEX || type == Type.BOOLEAN || isSub)) {
      throw new InvalidSchemaException(
          where + ": uniqueness is supported on single-valued simple attributes only");
    }
    List<AttributeDefinition> subs = new ArrayList<>();
    if (type == Type.COMPLEX) {
      if (isSub) {
        throw new InvalidSchemaException(where + ": a sub-attribute cannot be complex");
      }
      if (a.subAttributes() == null || a.subAttributes().isEmpty()) {
        throw new InvalidSchemaException(where + ": a complex attribute needs subAttributes");
      }
      Set<String> names = new HashSet<>();
      for (ExtensionSchema.Attribute sub : a.subAttributes()) {
        AttributeDefinition def = attribute(urn, sub, true);
        if (!names.add(def.name().toLowerCase(Locale.ROOT))) {
          throw new InvalidSchemaException(where + ": sub-attribute " + def.name() + " twice");
        }
        subs.add(def);
      }
    } else if (a.subAttributes() != null && !a.subAttributes().isEmpty()) {
      throw new InvalidSchemaException(where + ": only a complex attribute has subAttributes");
    }
    String description = text(a.description(), where + ": description", MAX_TEXT);
    return new AttributeDefinition(
        urn,
        name,
        type,
        multiValued,
        description == null ? "" : description,
        Boolean.TRUE.equals(a.required()),
        Boolean.TRUE.equals(a.caseExact()),
        mutability,
        mutability == Mutability.WRITE_ONLY ? Returned.NEVER : Returned.DEFAULT,
        uniqueness,
        subs,
        List.of(),
        type == Type.REFERENCE ? List.of("external") : List.of());
  }

  private static Type type(String wire, String where) {
    for (Type t :
        List.of(
            Type.STRING,
            Type.BOOLEAN,
            Type.INTEGER,
            Type.DECIMAL,
            Type.DATE_TIME,
            Type.REFERENCE,
            Type.COMPLEX)) {
      if (t.wire().equalsIgnoreCase(wire == null ? "" : wire.strip())) {
        return t;
      }
    }
    throw new InvalidSchemaException(
        where
            + ": type must be one of string, boolean, integer, decimal, dateTime, reference,"
            + " complex");
  }

  private static Mutability mutability(String wire, String where) {
    if (wire == null) {
      return Mutability.READ_WRITE;
    }
    for (Mutability m : Mutability.values()) {
      if (m.wire().equalsIgnoreCase(wire.strip())) {
        return m;
      }
    }
    throw new InvalidSchemaException(
        where + ": mutability must be readWrite, immutable, readOnly or writeOnly");
  }

  private static Uniqueness uniqueness(String wire, String where) {
    if (wire == null) {
      return Uniqueness.NONE;
    }
    for (Uniqueness u : Uniqueness.values()) {
      if (u.wire().equalsIgnoreCase(wire.strip())) {
        return u;
      }
    }
    throw new InvalidSchemaException(where + ": uniqueness must be none, server or global");
  }

  private static String text(String value, String where, int max) {
    if (value == null) {
      return null;
    }
    if (value.length() > max || value.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidSchemaException(
          where + " must be at most " + max + " characters without control characters");
    }
    return value.strip();
  }

  /** A declaration that cannot be accepted; the message says why, for the admin. */
  public static final class InvalidSchemaException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidSchemaException(String message) {
      super(message);
    }
  }
}
