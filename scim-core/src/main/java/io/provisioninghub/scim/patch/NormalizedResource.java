package io.provisioninghub.scim.patch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * A POST/PUT body made ready to store: the document (never holding {@code members}) and, for a
 * group, the member ids it listed; empty for users.
 */
public record NormalizedResource(ObjectNode document, Set<String> memberIds) {

  public NormalizedResource {
    memberIds = Set.copyOf(memberIds);
  }
}
