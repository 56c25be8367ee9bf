package io.provisioninghub.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.schema.AttributeDefinition;
import java.util.Locale;

/** Evaluates a PATCH value filter ({@code emails[type eq "work"]}) against one element. */
final class ElementFilter {

  private ElementFilter() {}

  static boolean matches(Filter f, ObjectNode element, AttributeDefinition parent) {
    FilterType type = f.getFilterType();
    switch (type) {
      case AND -> {
        return f.getCombinedFilters().stream().allMatch(c -> matches(c, element, parent));
      }
      case OR -> {
        return f.getCombinedFilters().stream().anyMatch(c -> matches(c, element, parent));
      }
      case NOT -> {
        return !matches(f.getInvertedFilter(), element, parent);
      }
      case COMPLEX_VALUE ->
          throw new BadRequestException(ScimType.invalidFilter, "Value filters cannot be nested");
      default -> {
        AttributeDefinition sub = sub(f.getAttributePath(), parent);
        JsonNode actual = PatchParser.field(element, sub.name());
        boolean present =
            actual != null
                && !actual.isNull()
                && !(actual.isTextual() && actual.asText().isEmpty());
        if (type == FilterType.PRESENT) {
          return present;
        }
        JsonNode expected = f.getComparisonValue();
        if (expected == null || expected.isNull()) {
          return type == FilterType.EQUAL ? !present : type == FilterType.NOT_EQUAL && present;
        }
        if (!present) {
          return false;
        }
        String a = actual.asText();
        String e = expected.asText();
        if (!sub.caseExact()) {
          a = a.toLowerCase(Locale.ROOT);
          e = e.toLowerCase(Locale.ROOT);
        }
        int cmp = a.compareTo(e);
        return switch (type) {
          case EQUAL -> cmp == 0;
          case NOT_EQUAL -> cmp != 0;
          case CONTAINS -> a.contains(e);
          case STARTS_WITH -> a.startsWith(e);
          case ENDS_WITH -> a.endsWith(e);
          case GREATER_THAN -> cmp > 0;
          case GREATER_OR_EQUAL -> cmp >= 0;
          case LESS_THAN -> cmp < 0;
          case LESS_OR_EQUAL -> cmp <= 0;
          default -> false;
        };
      }
    }
  }

  /** The sub-attribute values an element must have to match: the eq tests joined by and. */
  static ObjectNode impliedValues(Filter f, AttributeDefinition parent) {
    ObjectNode out = Values.JSON.objectNode();
    collect(f, parent, out);
    return out;
  }

  private static void collect(Filter f, AttributeDefinition parent, ObjectNode out) {
    if (f.getFilterType() == FilterType.AND) {
      f.getCombinedFilters().forEach(c -> collect(c, parent, out));
    } else if (f.getFilterType() == FilterType.EQUAL
        && f.getComparisonValue() != null
        && !f.getComparisonValue().isNull()) {
      AttributeDefinition sub = sub(f.getAttributePath(), parent);
      JsonNode v = Values.coerceSingle(f.getComparisonValue(), sub, parent.name());
      if (v != null) {
        out.set(sub.name(), v);
      }
    }
  }

  private static AttributeDefinition sub(Path path, AttributeDefinition parent) {
    if (path == null || path.size() != 1 || path.getSchemaUrn() != null) {
      throw new BadRequestException(
          ScimType.invalidFilter, "'" + path + "' is not a sub-attribute of " + parent.name());
    }
    String name = path.getElement(0).getAttribute();
    return parent
        .subAttribute(name)
        .orElseThrow(
            () ->
                new BadRequestException(
                    ScimType.invalidFilter,
                    "'" + name + "' is not a sub-attribute of " + parent.name()));
  }
}
