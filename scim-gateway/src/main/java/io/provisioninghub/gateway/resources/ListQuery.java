package io.provisioninghub.gateway.resources;

import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;

/**
 * The query parameters of a list request (RFC 7644 section 3.4.2), already form-decoded: Entra
 * sends spaces in filters as '+', which the HTTP layer turns back into spaces.
 */
public record ListQuery(
    String filter,
    String sortBy,
    String sortOrder,
    int startIndex,
    int count,
    String attributes,
    String excludedAttributes,
    String cursor) {

  /**
   * Whether the client asked for cursor paging (RFC 9865): a {@code cursor} parameter, even empty.
   */
  public boolean cursorPaging() {
    return cursor != null;
  }

  /** Applies the defaults and caps: startIndex below 1 is 1, count is capped at maxResults. */
  public static ListQuery of(
      String filter,
      String sortBy,
      String sortOrder,
      String startIndex,
      String count,
      String attributes,
      String excludedAttributes,
      String cursor,
      int defaultCount,
      int maxResults) {
    int start = parse(startIndex, "startIndex", 1);
    int size = parse(count, "count", defaultCount);
    return new ListQuery(
        blankToNull(filter),
        blankToNull(sortBy),
        blankToNull(sortOrder),
        Math.max(1, start),
        Math.min(Math.max(0, size), maxResults),
        attributes,
        excludedAttributes,
        cursor == null ? null : cursor.trim());
  }

  private static int parse(String value, String name, int fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new BadRequestException(ScimType.invalidValue, name + " must be an integer");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
