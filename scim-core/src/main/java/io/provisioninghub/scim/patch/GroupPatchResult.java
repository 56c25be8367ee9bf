package io.provisioninghub.scim.patch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/** A patched group document (never holding members) and the membership change to apply. */
public record GroupPatchResult(
    ObjectNode document, Set<String> changedAttributes, MembershipChange membership) {

  public GroupPatchResult {
    changedAttributes = Set.copyOf(changedAttributes);
  }
}
