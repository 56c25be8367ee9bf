package io.provisioninghub.scim.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;

/**
 * Bounds what one filter may ask of the database, checked on the parsed filter before any SQL is
 * built, and refuses values PostgreSQL cannot store. Every comparison becomes at least one
 * condition per candidate row, and {@code co}/{@code sw}/{@code ew} become {@code LIKE} patterns
 * that no btree index serves, so each of them may scan the tenant's rows.
 */
public final class FilterCost {

  /**
   * Comparisons ({@code eq}, {@code co}, {@code pr}, ...) in one filter, value filters included.
   */
  public static final int MAX_COMPARISONS = 50;

  /** {@code co}, {@code sw} and {@code ew} comparisons in one filter. */
  public static final int MAX_SUBSTRING_COMPARISONS = 5;

  /**
   * Nested {@code and}/{@code or}/{@code not}/{@code [ ]} levels above a comparison; a chain of the
   * same operator ({@code a or b or c}) is one level.
   */
  public static final int MAX_NESTING = 8;

  private int comparisons;
  private int substrings;

  private FilterCost() {}

  /**
   * Throws {@code invalidFilter} if {@code filter} is over a limit or holds an unstorable value.
   */
  static void check(Filter filter) {
    FilterCost cost = new FilterCost();
    int depth = cost.walk(filter, null);
    if (depth > MAX_NESTING) {
      throw invalid(
          "The filter nests "
              + depth
              + " levels of and/or/not/[ ]; at most "
              + MAX_NESTING
              + " are allowed");
    }
    if (cost.comparisons > MAX_COMPARISONS) {
      throw invalid(
          "The filter has "
              + cost.comparisons
              + " comparisons; at most "
              + MAX_COMPARISONS
              + " are allowed in one filter");
    }
    if (cost.substrings > MAX_SUBSTRING_COMPARISONS) {
      throw invalid(
          "The filter has "
              + cost.substrings
              + " co/sw/ew comparisons; at most "
              + MAX_SUBSTRING_COMPARISONS
              + " are allowed in one filter (use eq where you can)");
    }
  }

  /** Counts comparisons below {@code f} and returns its nesting depth (a comparison is 1). */
  private int walk(Filter f, FilterType parent) {
    FilterType type = f.getFilterType();
    switch (type) {
      case AND, OR -> {
        int deepest = 0;
        for (Filter child : f.getCombinedFilters()) {
          deepest = Math.max(deepest, walk(child, type));
        }
        return type == parent ? deepest : deepest + 1;
      }
      case NOT -> {
        return walk(f.getInvertedFilter(), type) + 1;
      }
      case COMPLEX_VALUE -> {
        return walk(f.getValueFilter(), type) + 1;
      }
      default -> {
        comparisons++;
        if (type == FilterType.CONTAINS
            || type == FilterType.STARTS_WITH
            || type == FilterType.ENDS_WITH) {
          substrings++;
        }
        JsonNode value = f.getComparisonValue();
        if (value != null && value.isTextual()) {
          checkText(value.textValue(), "value " + quoted(value.textValue()));
        }
        return 1;
      }
    }
  }

  /**
   * Refuses NUL (PostgreSQL text cannot hold it) and UTF-16 surrogates that are not a pair (no
   * Unicode character; not encodable as UTF-8), wherever they come from: the raw filter text or a
   * JSON escape such as {@code \u0000} or {@code \ud800} inside a quoted value.
   */
  static void checkText(String text, String where) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        throw invalid("The filter " + where + " contains a NUL character (U+0000), not allowed");
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw invalid(
            "The filter "
                + where
                + " contains an unpaired UTF-16 surrogate (U+"
                + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
                + "), which is not a Unicode character");
      }
    }
  }

  private static String quoted(String value) {
    String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    StringBuilder out = new StringBuilder("\"");
    for (char c : shown.toCharArray()) {
      if (c < 0x20 || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private static BadRequestException invalid(String detail) {
    return new BadRequestException(ScimType.invalidFilter, detail);
  }
}
