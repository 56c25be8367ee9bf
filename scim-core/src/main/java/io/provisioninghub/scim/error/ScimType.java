package io.provisioninghub.scim.error;

/** The {@code scimType} values of RFC 7644 section 3.12 (and RFC 9865 for cursors). */
public enum ScimType {
  invalidFilter,
  tooMany,
  uniqueness,
  mutability,
  invalidSyntax,
  invalidPath,
  noTarget,
  invalidValue,
  invalidVers,
  sensitive,
  invalidCursor,
  expiredCursor
}
