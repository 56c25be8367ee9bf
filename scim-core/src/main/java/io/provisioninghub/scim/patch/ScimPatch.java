package io.provisioninghub.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.scim2.common.Path;
import java.util.List;

/**
 * A PATCH request after {@link PatchParser} has normalized it: ops in order, each with at most one
 * attribute path; a no-path Add/Replace has been split into one op per attribute.
 */
public record ScimPatch(List<Operation> operations) {

  public ScimPatch {
    operations = List.copyOf(operations);
  }

  /** RFC 7644 section 3.5.2 operation kinds. */
  public enum Op {
    ADD,
    REPLACE,
    REMOVE
  }

  /**
   * One operation. {@code path} is the client's path text (null only for a no-path Add/Replace
   * whose value is not an object of attributes); {@code parsedPath} is the SDK's parse of it;
   * {@code value} is null for removes without a value.
   */
  public record Operation(Op op, String path, Path parsedPath, JsonNode value) {}
}
