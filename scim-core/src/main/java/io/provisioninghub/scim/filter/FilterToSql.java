package io.provisioninghub.scim.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.schema.AttributeDefinition;
import io.provisioninghub.scim.schema.AttributeDefinition.Type;
import io.provisioninghub.scim.schema.ResolvedAttribute;
import io.provisioninghub.scim.schema.ResourceKind;
import io.provisioninghub.scim.schema.ScimSchemas;
import io.provisioninghub.scim.schema.TenantSchemas;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Translates a SCIM filter into a PostgreSQL condition over {@code scim.users} or {@code
 * scim.groups}.
 *
 * <p>Rules the output keeps: every value is a bound parameter; every identifier and JSON key in the
 * SQL comes from {@link ScimSchemas}, never from the filter text; every leaf is two-valued (true or
 * false, never NULL) so {@code not (...)} means what it says. Subqueries refer to the outer row as
 * {@code users.*} / {@code groups.*}, so the caller must select {@code FROM scim.users} (or {@code
 * scim.groups}) without another alias.
 *
 * <p>Indexes the SQL can use (the processor's migration owns them):
 *
 * <ul>
 *   <li>{@code users (tenant_id, lower(user_name))} unique, {@code users (tenant_id, external_id)},
 *       {@code users (tenant_id, id)} (primary key);
 *   <li>{@code groups (tenant_id, lower(display_name))} unique, {@code groups (tenant_id,
 *       external_id)};
 *   <li>{@code group_members (tenant_id, member_id)} for {@code groups.value} on users and for
 *       reverse lookups; the primary key (tenant_id, group_id, member_id) serves {@code members};
 *   <li>{@code users USING gin (((lower((resource -> 'emails')::text))::jsonb) jsonb_path_ops)} for
 *       {@code emails.value eq}: the translation adds a containment test on exactly that expression
 *       in front of the EXISTS, so the planner can use the index.
 * </ul>
 */
public final class FilterToSql {

  private FilterToSql() {}

  /** Parses and translates; placeholders are numbered from {@code firstParamIndex}. */
  public static SqlCondition translate(String filter, ResourceKind kind, int firstParamIndex) {
    return translate(ScimFilters.parse(filter), kind, firstParamIndex, TenantSchemas.NONE);
  }

  /** Like {@link #translate(String, ResourceKind, int)}, also over the tenant's own schemas. */
  public static SqlCondition translate(
      String filter, ResourceKind kind, int firstParamIndex, TenantSchemas tenant) {
    return translate(ScimFilters.parse(filter), kind, firstParamIndex, tenant);
  }

  public static SqlCondition translate(Filter filter, ResourceKind kind, int firstParamIndex) {
    return translate(filter, kind, firstParamIndex, TenantSchemas.NONE);
  }

  public static SqlCondition translate(
      Filter filter, ResourceKind kind, int firstParamIndex, TenantSchemas tenant) {
    if (firstParamIndex < 1) {
      throw new IllegalArgumentException("placeholders start at $1");
    }
    Translation t = new Translation(kind, firstParamIndex, tenant);
    String sql = t.filter(filter);
    return new SqlCondition(sql, t.params);
  }

  /**
   * An ORDER BY list (without the keywords) for {@code sortBy}/{@code sortOrder} (RFC 7644 section
   * 3.4.2.3), always ending with {@code id} so pages are stable. No sortBy: creation order.
   */
  public static String orderBy(String sortBy, String sortOrder, ResourceKind kind) {
    return orderBy(sortBy, sortOrder, kind, TenantSchemas.NONE);
  }

  /** Like {@link #orderBy(String, String, ResourceKind)}, also by the tenant's own attributes. */
  public static String orderBy(
      String sortBy, String sortOrder, ResourceKind kind, TenantSchemas tenant) {
    String direction;
    if (sortOrder == null || sortOrder.isBlank() || sortOrder.equalsIgnoreCase("ascending")) {
      direction = "ASC";
    } else if (sortOrder.equalsIgnoreCase("descending")) {
      direction = "DESC";
    } else {
      throw new BadRequestException(
          ScimType.invalidValue, "sortOrder must be 'ascending' or 'descending'");
    }
    if (sortBy == null || sortBy.isBlank()) {
      return "created " + direction + ", id " + direction;
    }
    ResolvedAttribute attr =
        ScimSchemas.resolve(kind, sortBy.strip(), tenant)
            .orElseThrow(
                () ->
                    new BadRequestException(
                        ScimType.invalidValue,
                        "Cannot sort by unknown attribute '" + sortBy + "'"));
    Translation t = new Translation(kind, 1, tenant);
    String expression = t.sortExpression(attr, sortBy);
    if (expression.equals("id")) {
      return "id " + direction;
    }
    return expression + " " + direction + " NULLS LAST, id " + direction;
  }

  /** How a value is compared in SQL. */
  private enum ValueKind {
    TEXT,
    BOOLEAN,
    JSON_BOOLEAN,
    TIMESTAMP,
    UUID,
    NUMBER
  }

  /** A SQL expression for one attribute value; {@code sql} is built only from our constants. */
  private record Operand(String sql, ValueKind kind, boolean caseExact, boolean nullable) {}

  private static final class Translation {
    private final ResourceKind kind;
    private final String table;
    private final List<Object> params = new ArrayList<>();
    private final TenantSchemas tenant;
    private int next;

    Translation(ResourceKind kind, int first, TenantSchemas tenant) {
      this.kind = kind;
      this.table = kind == ResourceKind.USER ? "users" : "groups";
      this.next = first;
      this.tenant = tenant;
    }

    private String bind(Object value) {
      params.add(value);
      return "$" + next++;
    }

    String filter(Filter f) {
      FilterType type = f.getFilterType();
      switch (type) {
        case AND, OR -> {
          String joiner = type == FilterType.AND ? " AND " : " OR ";
          return f.getCombinedFilters().stream()
              .map(this::filter)
              .collect(Collectors.joining(joiner, "(", ")"));
        }
        case NOT -> {
          return "(NOT " + filter(f.getInvertedFilter()) + ")";
        }
        case COMPLEX_VALUE -> {
          return valuePath(f);
        }
        default -> {
          return leaf(f);
        }
      }
    }

    private ResolvedAttribute resolve(Path path) {
      String text = path.toString();
      return ScimSchemas.resolve(kind, text, tenant)
          .orElseThrow(
              () ->
                  invalid(
                      "Unknown attribute '"
                          + text
                          + "' for "
                          + kind.resourceTypeName()
                          + " in filter"));
    }

    /** {@code attr[inner]}: some value of the multi-valued attribute matches {@code inner}. */
    private String valuePath(Filter f) {
      ResolvedAttribute attr = resolve(f.getAttributePath());
      if (attr.hasSubAttribute() || !attr.attribute().isComplex()) {
        throw invalid("'" + f.getAttributePath() + "' cannot take a [filter]");
      }
      return elementExists(attr.attribute(), f.getValueFilter());
    }

    private String elementExists(AttributeDefinition parent, Filter inner) {
      String name = parent.name();
      if (kind == ResourceKind.USER && name.equals("groups")) {
        return "EXISTS (SELECT 1 FROM scim.group_members gm JOIN scim.groups g"
            + " ON g.tenant_id = gm.tenant_id AND g.id = gm.group_id"
            + " WHERE gm.tenant_id = users.tenant_id AND gm.member_id = users.id AND "
            + elementFilter(parent, inner)
            + ")";
      }
      if (kind == ResourceKind.GROUP && name.equals("members")) {
        return "EXISTS (SELECT 1 FROM scim.group_members gm"
            + " WHERE gm.tenant_id = groups.tenant_id AND gm.group_id = groups.id AND "
            + elementFilter(parent, inner)
            + ")";
      }
      String array = jsonPath(parent, null, false);
      if (!parent.multiValued()) {
        // A single complex attribute (name[givenName eq "x"]): the object itself is the element.
        return "(SELECT " + elementFilter(parent, inner) + " FROM (SELECT " + array + " AS v) e)";
      }
      return "EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof("
          + array
          + ") = 'array' THEN "
          + array
          + " ELSE '[]'::jsonb END) AS e(v) WHERE "
          + elementFilter(parent, inner)
          + ")";
    }

    /** The filter inside brackets, whose paths name sub-attributes of {@code parent}. */
    private String elementFilter(AttributeDefinition parent, Filter f) {
      FilterType type = f.getFilterType();
      switch (type) {
        case AND, OR -> {
          String joiner = type == FilterType.AND ? " AND " : " OR ";
          return f.getCombinedFilters().stream()
              .map(c -> elementFilter(parent, c))
              .collect(Collectors.joining(joiner, "(", ")"));
        }
        case NOT -> {
          return "(NOT " + elementFilter(parent, f.getInvertedFilter()) + ")";
        }
        case COMPLEX_VALUE -> throw invalid("Value filters cannot be nested");
        default -> {
          Path path = f.getAttributePath();
          if (path.getSchemaUrn() != null || path.size() != 1) {
            throw invalid(
                "'" + path + "' is not a sub-attribute of '" + parent.name() + "' in filter");
          }
          String subName = path.getElement(0).getAttribute();
          AttributeDefinition sub =
              parent
                  .subAttribute(subName)
                  .orElseThrow(
                      () ->
                          invalid(
                              "'"
                                  + subName
                                  + "' is not a sub-attribute of '"
                                  + parent.name()
                                  + "' in filter"));
          return compare(elementOperand(parent, sub), f);
        }
      }
    }

    private Operand elementOperand(AttributeDefinition parent, AttributeDefinition sub) {
      String name = parent.name();
      String subName = sub.name();
      if (kind == ResourceKind.USER && name.equals("groups")) {
        return switch (subName) {
          case "value" -> new Operand("gm.group_id", ValueKind.UUID, true, false);
          case "display" -> new Operand("g.display_name", ValueKind.TEXT, false, false);
          case "type" -> new Operand("'direct'", ValueKind.TEXT, false, false);
          default -> throw invalid("groups." + subName + " is not filterable");
        };
      }
      if (kind == ResourceKind.GROUP && name.equals("members")) {
        return switch (subName) {
          case "value" -> new Operand("gm.member_id", ValueKind.UUID, true, false);
          case "type" -> new Operand("gm.member_type", ValueKind.TEXT, false, true);
          default -> throw invalid("members." + subName + " is not filterable");
        };
      }
      return jsonOperand("(e.v ->> " + quoteLiteral(subName) + ")", sub);
    }

    private String leaf(Filter f) {
      ResolvedAttribute attr = resolve(f.getAttributePath());
      AttributeDefinition top = attr.attribute();
      if (top.returned() == AttributeDefinition.Returned.NEVER) {
        throw invalid("'" + top.name() + "' cannot be used in a filter");
      }
      if (top.multiValued() && top.isComplex()) {
        // emails.value op x, or emails op x which RFC 7644 3.4.2.2 reads as emails.value op x.
        if (!attr.hasSubAttribute() && f.getFilterType() == FilterType.PRESENT) {
          return multiValuedPresent(top);
        }
        AttributeDefinition sub =
            attr.hasSubAttribute()
                ? attr.subAttribute()
                : top.subAttribute("value")
                    .orElseThrow(() -> invalid("'" + top.name() + "' needs a sub-attribute"));
        if (isEmailValueEquality(attr, top, f)) {
          String containment = emailContainment(f);
          return "(" + containment + " AND " + elementExists(top, sub, f) + ")";
        }
        return elementExists(top, sub, f);
      }
      if (top.multiValued() && !top.isComplex()) {
        // A multi-valued simple attribute (only tenant schemas declare them): some value matches.
        String array = jsonPath(top, null, false);
        if (f.getFilterType() == FilterType.PRESENT) {
          return "(CASE WHEN jsonb_typeof("
              + array
              + ") = 'array' THEN jsonb_array_length("
              + array
              + ") > 0 ELSE false END)";
        }
        String exists =
            "EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof("
                + array
                + ") = 'array' THEN "
                + array
                + " ELSE '[]'::jsonb END) AS e(v) WHERE "
                + compare(valueOperand("e.v", top), f)
                + ")";
        return isIndexedEquality(attr, f)
            ? "(" + containment(attr, f) + " AND " + exists + ")"
            : exists;
      }
      if (top.isComplex() && !attr.hasSubAttribute()) {
        if (f.getFilterType() != FilterType.PRESENT) {
          throw invalid("'" + top.name() + "' is complex; filter on one of its sub-attributes");
        }
        String json = jsonPath(top, null, false);
        return "COALESCE(" + json + " NOT IN ('null'::jsonb, '{}'::jsonb), false)";
      }
      if (isIndexedEquality(attr, f)) {
        return "(" + containment(attr, f) + " AND " + compare(operand(attr), f) + ")";
      }
      return compare(operand(attr), f);
    }

    /**
     * {@code eq} on a string attribute of a tenant's own extension schema, which the generic index
     * {@code users/groups USING gin (((lower((resource)::text))::jsonb) jsonb_path_ops)} serves
     * (processor migration V6, docs/adr/0012).
     */
    private boolean isIndexedEquality(ResolvedAttribute attr, Filter f) {
      AttributeDefinition leaf = attr.leaf();
      return tenant.schema(attr.schemaUrn()).isPresent()
          && !attr.hasSubAttribute()
          && (leaf.type() == Type.STRING || leaf.type() == Type.REFERENCE)
          && f.getFilterType() == FilterType.EQUAL
          && f.getComparisonValue() != null
          && f.getComparisonValue().isTextual();
    }

    /**
     * A containment test on the lower-cased document that the GIN index answers; the exact test
     * (case-sensitive when the attribute is caseExact) follows it. Keys are bound, lower-cased as
     * PostgreSQL's lower() does for them (they are ASCII by {@link TenantSchemas}).
     */
    private String containment(ResolvedAttribute attr, Filter f) {
      String urn = bind(lowerRoot(attr.schemaUrn()));
      String name = bind(lowerRoot(attr.attribute().name()));
      String value = "lower(" + bind(f.getComparisonValue().textValue()) + "::text)";
      if (attr.attribute().multiValued()) {
        value = "jsonb_build_array(" + value + ")";
      }
      return "(lower((resource)::text))::jsonb @> jsonb_build_object("
          + urn
          + "::text, jsonb_build_object("
          + name
          + "::text, "
          + value
          + "))";
    }

    /** An operand over one JSON value (a jsonb expression), typed by {@code def}. */
    private Operand valueOperand(String jsonb, AttributeDefinition def) {
      if (def.type() == Type.INTEGER || def.type() == Type.DECIMAL) {
        return new Operand(
            "(CASE WHEN jsonb_typeof("
                + jsonb
                + ") = 'number' THEN ("
                + jsonb
                + " #>> '{}')::numeric END)",
            ValueKind.NUMBER,
            true,
            true);
      }
      return jsonOperand("(" + jsonb + " #>> '{}')", def);
    }

    private String elementExists(AttributeDefinition parent, AttributeDefinition sub, Filter f) {
      if (kind == ResourceKind.USER && parent.name().equals("groups")
          || kind == ResourceKind.GROUP && parent.name().equals("members")) {
        String table = parent.name().equals("groups") ? "users" : "groups";
        String join =
            table.equals("users")
                ? "FROM scim.group_members gm JOIN scim.groups g ON g.tenant_id = gm.tenant_id"
                    + " AND g.id = gm.group_id WHERE gm.tenant_id = users.tenant_id"
                    + " AND gm.member_id = users.id AND "
                : "FROM scim.group_members gm WHERE gm.tenant_id = groups.tenant_id"
                    + " AND gm.group_id = groups.id AND ";
        return "EXISTS (SELECT 1 " + join + compare(elementOperand(parent, sub), f) + ")";
      }
      String array = jsonPath(parent, null, false);
      return "EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof("
          + array
          + ") = 'array' THEN "
          + array
          + " ELSE '[]'::jsonb END) AS e(v) WHERE "
          + compare(elementOperand(parent, sub), f)
          + ")";
    }

    private boolean isEmailValueEquality(
        ResolvedAttribute attr, AttributeDefinition top, Filter f) {
      return kind == ResourceKind.USER
          && top.name().equals("emails")
          && (!attr.hasSubAttribute() || attr.subAttribute().name().equals("value"))
          && f.getFilterType() == FilterType.EQUAL
          && f.getComparisonValue() != null
          && f.getComparisonValue().isTextual();
    }

    /** Index-friendly pre-test; the expression must match the GIN index in the class comment. */
    private String emailContainment(Filter f) {
      String p = bind(f.getComparisonValue().textValue());
      return "resource -> 'emails' IS NOT NULL AND (lower((resource -> 'emails')::text))::jsonb"
          + " @> jsonb_build_array(jsonb_build_object('value', lower("
          + p
          + "::text)))";
    }

    private String multiValuedPresent(AttributeDefinition top) {
      if (kind == ResourceKind.USER && top.name().equals("groups")) {
        return "EXISTS (SELECT 1 FROM scim.group_members gm"
            + " WHERE gm.tenant_id = users.tenant_id AND gm.member_id = users.id)";
      }
      if (kind == ResourceKind.GROUP && top.name().equals("members")) {
        return "EXISTS (SELECT 1 FROM scim.group_members gm"
            + " WHERE gm.tenant_id = groups.tenant_id AND gm.group_id = groups.id)";
      }
      String array = jsonPath(top, null, false);
      return "(CASE WHEN jsonb_typeof("
          + array
          + ") = 'array' THEN jsonb_array_length("
          + array
          + ") > 0 ELSE false END)";
    }

    /** Column or JSONB text for a single-valued attribute path. */
    private Operand operand(ResolvedAttribute attr) {
      AttributeDefinition top = attr.attribute();
      AttributeDefinition leaf = attr.leaf();
      if (!attr.isExtension()) {
        String path = attr.canonicalPath();
        switch (path) {
          case "id" -> {
            return new Operand("id", ValueKind.UUID, true, false);
          }
          case "externalId" -> {
            return new Operand("external_id", ValueKind.TEXT, true, true);
          }
          case "meta.created" -> {
            return new Operand("created", ValueKind.TIMESTAMP, true, false);
          }
          case "meta.lastModified" -> {
            return new Operand("last_modified", ValueKind.TIMESTAMP, true, false);
          }
          case "meta.resourceType" -> {
            return new Operand(quoteLiteral(kind.resourceTypeName()), ValueKind.TEXT, true, false);
          }
          case "displayName" -> {
            return new Operand("display_name", ValueKind.TEXT, false, kind == ResourceKind.USER);
          }
          default -> {
            // fall through to the per-kind columns and JSONB below
          }
        }
        if (top.name().equals("meta")) {
          throw invalid("'" + path + "' is not filterable");
        }
        if (kind == ResourceKind.USER && path.equals("userName")) {
          return new Operand("user_name", ValueKind.TEXT, false, false);
        }
        if (kind == ResourceKind.USER && path.equals("active")) {
          return new Operand("active", ValueKind.BOOLEAN, true, true);
        }
      }
      if (leaf.type() == Type.INTEGER || leaf.type() == Type.DECIMAL) {
        return valueOperand(jsonPath(top, attr.subAttribute(), false), leaf);
      }
      return jsonOperand(jsonPath(top, attr.subAttribute(), true), leaf);
    }

    private Operand jsonOperand(String sql, AttributeDefinition leaf) {
      ValueKind valueKind = leaf.type() == Type.BOOLEAN ? ValueKind.JSON_BOOLEAN : ValueKind.TEXT;
      return new Operand(sql, valueKind, leaf.caseExact(), true);
    }

    /**
     * {@code resource #> '{urn,attr,sub}'} (as jsonb) or {@code #>>} (as text); extension
     * attributes live under their schema URN key. Keys come from the schema definitions.
     */
    private String jsonPath(AttributeDefinition top, AttributeDefinition sub, boolean asText) {
      List<String> keys = new ArrayList<>();
      if (!top.schemaUrn().equals(kind.coreSchema())) {
        // The enterprise extension or one of the tenant's: URNs from ScimSchemas/TenantSchemas,
        // whose syntax admits no quote, comma or brace.
        keys.add(top.schemaUrn());
      }
      keys.add(top.name());
      if (sub != null) {
        keys.add(sub.name());
      }
      String array =
          keys.stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(",", "'{", "}'"));
      return "(resource " + (asText ? "#>>" : "#>") + " " + array + ")";
    }

    /** One comparison, two-valued; {@code f} is a comparison or presence filter. */
    private String compare(Operand o, Filter f) {
      FilterType type = f.getFilterType();
      if (type == FilterType.PRESENT) {
        return present(o);
      }
      JsonNode value = f.getComparisonValue();
      if (value == null || value.isNull()) {
        // "attr eq null" asks for absence; "ne null" for presence (RFC 7644 3.4.2.2, 3.10).
        if (type == FilterType.EQUAL || type == FilterType.NOT_EQUAL) {
          String present = present(o);
          return type == FilterType.EQUAL ? "(NOT " + present + ")" : present;
        }
        throw invalid("Only eq and ne can compare with null");
      }
      String condition =
          switch (o.kind()) {
            case TEXT -> textComparison(o, type, value);
            case BOOLEAN, JSON_BOOLEAN -> booleanComparison(o, type, value);
            case TIMESTAMP -> timestampComparison(o, type, value);
            case UUID -> uuidComparison(o, type, value);
            case NUMBER -> numberComparison(o, type, value);
          };
      return o.nullable() && !condition.equals("false") && !condition.equals("true")
          ? "(" + o.sql() + " IS NOT NULL AND " + condition + ")"
          : condition;
    }

    private String present(Operand o) {
      if (!o.nullable()) {
        return "true";
      }
      return switch (o.kind()) {
        case TEXT, JSON_BOOLEAN -> "(" + o.sql() + " IS NOT NULL AND " + o.sql() + " <> '')";
        default -> "(" + o.sql() + " IS NOT NULL)";
      };
    }

    private String textComparison(Operand o, FilterType type, JsonNode value) {
      if (!value.isTextual() && !value.isNumber()) {
        throw invalid("Compare text attributes with a quoted string");
      }
      String text = value.asText();
      String column = o.caseExact() ? o.sql() : "lower(" + o.sql() + ")";
      return switch (type) {
        case EQUAL -> column + " = " + param(o, text);
        case NOT_EQUAL -> column + " <> " + param(o, text);
        case CONTAINS -> column + " LIKE " + param(o, "%" + escapeLike(text) + "%");
        case STARTS_WITH -> column + " LIKE " + param(o, escapeLike(text) + "%");
        case ENDS_WITH -> column + " LIKE " + param(o, "%" + escapeLike(text));
        case GREATER_THAN -> column + " > " + param(o, text);
        case GREATER_OR_EQUAL -> column + " >= " + param(o, text);
        case LESS_THAN -> column + " < " + param(o, text);
        case LESS_OR_EQUAL -> column + " <= " + param(o, text);
        default -> throw invalid("Unsupported operator " + type);
      };
    }

    private String param(Operand o, String text) {
      String p = bind(text);
      return o.caseExact() ? p : "lower(" + p + ")";
    }

    private String booleanComparison(Operand o, FilterType type, JsonNode value) {
      if (!value.isBoolean()) {
        throw invalid("Compare boolean attributes with true or false");
      }
      Object bound = o.kind() == ValueKind.BOOLEAN ? value.booleanValue() : value.asText();
      return switch (type) {
        case EQUAL -> o.sql() + " = " + bind(bound);
        case NOT_EQUAL -> o.sql() + " <> " + bind(bound);
        default -> throw invalid("Boolean attributes support only eq, ne and pr");
      };
    }

    private String timestampComparison(Operand o, FilterType type, JsonNode value) {
      OffsetDateTime time;
      try {
        time = OffsetDateTime.parse(value.asText());
      } catch (DateTimeParseException e) {
        throw invalid("'" + value.asText() + "' is not an RFC 3339 date-time");
      }
      String op =
          switch (type) {
            case EQUAL -> " = ";
            case NOT_EQUAL -> " <> ";
            case GREATER_THAN -> " > ";
            case GREATER_OR_EQUAL -> " >= ";
            case LESS_THAN -> " < ";
            case LESS_OR_EQUAL -> " <= ";
            default -> throw invalid("Date-time attributes do not support " + type);
          };
      return o.sql() + op + bind(time);
    }

    private String numberComparison(Operand o, FilterType type, JsonNode value) {
      if (!value.isNumber()) {
        throw invalid("Compare numeric attributes with a number");
      }
      String op =
          switch (type) {
            case EQUAL -> " = ";
            case NOT_EQUAL -> " <> ";
            case GREATER_THAN -> " > ";
            case GREATER_OR_EQUAL -> " >= ";
            case LESS_THAN -> " < ";
            case LESS_OR_EQUAL -> " <= ";
            default -> throw invalid("Numeric attributes do not support " + type);
          };
      return o.sql() + op + bind(value.decimalValue()) + "::numeric";
    }

    private String uuidComparison(Operand o, FilterType type, JsonNode value) {
      if (!value.isTextual()) {
        throw invalid("Compare identifiers with a quoted string");
      }
      String text = value.textValue();
      if (type == FilterType.EQUAL || type == FilterType.NOT_EQUAL) {
        UUID uuid = parseUuid(text);
        if (uuid == null) {
          // Not an id we could have issued: nothing is equal to it.
          return type == FilterType.EQUAL ? "false" : "true";
        }
        return o.sql() + (type == FilterType.EQUAL ? " = " : " <> ") + bind(uuid);
      }
      Operand asText = new Operand(o.sql() + "::text", ValueKind.TEXT, false, o.nullable());
      return textComparison(asText, type, value);
    }

    String sortExpression(ResolvedAttribute attr, String sortBy) {
      AttributeDefinition top = attr.attribute();
      if (top.returned() == AttributeDefinition.Returned.NEVER
          || (top.isComplex() && !attr.hasSubAttribute() && !top.multiValued())) {
        throw new BadRequestException(ScimType.invalidValue, "Cannot sort by '" + sortBy + "'");
      }
      if (top.multiValued() && top.isComplex()) {
        if (kind == ResourceKind.USER && top.name().equals("groups")
            || kind == ResourceKind.GROUP && top.name().equals("members")) {
          throw new BadRequestException(ScimType.invalidValue, "Cannot sort by '" + sortBy + "'");
        }
        AttributeDefinition sub =
            attr.hasSubAttribute()
                ? attr.subAttribute()
                : top.subAttribute("value")
                    .orElseThrow(
                        () ->
                            new BadRequestException(
                                ScimType.invalidValue, "Cannot sort by '" + sortBy + "'"));
        String array = jsonPath(top, null, false);
        String value = "(e.v ->> " + quoteLiteral(sub.name()) + ")";
        // RFC 7644 3.4.2.3: a multi-valued attribute sorts by its primary value, else its first.
        return "(SELECT "
            + (sub.caseExact() ? value : "lower(" + value + ")")
            + " FROM jsonb_array_elements(CASE WHEN jsonb_typeof("
            + array
            + ") = 'array' THEN "
            + array
            + " ELSE '[]'::jsonb END) WITH ORDINALITY AS e(v, n)"
            + " ORDER BY (e.v ->> 'primary') = 'true' DESC, e.n LIMIT 1)";
      }
      Operand o;
      try {
        o = operand(attr);
      } catch (BadRequestException e) {
        throw new BadRequestException(ScimType.invalidValue, "Cannot sort by '" + sortBy + "'");
      }
      return o.kind() == ValueKind.TEXT && !o.caseExact() ? "lower(" + o.sql() + ")" : o.sql();
    }
  }

  private static UUID parseUuid(String text) {
    if (text.length() != 36) {
      return null;
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** LIKE with PostgreSQL's default escape character, backslash. */
  static String escapeLike(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  /** Quotes one of our own identifiers-as-literals; never called with client text. */
  private static String quoteLiteral(String ours) {
    return "'" + ours.replace("'", "''") + "'";
  }

  private static BadRequestException invalid(String detail) {
    return new BadRequestException(ScimType.invalidFilter, detail);
  }

  static String lowerRoot(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
