package io.provisioninghub.scim.patch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/** A patched user document and the attribute paths whose value actually changed. */
public record PatchResult(ObjectNode document, Set<String> changedAttributes) {

  public PatchResult {
    changedAttributes = Set.copyOf(changedAttributes);
  }
}
