package io.provisioninghub.processor.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.processor.apply.Documents;
import io.provisioninghub.scim.resource.ResourceMeta;

/** Stored user rows as SCIM resources. */
final class UserDocuments {

  private UserDocuments() {}

  /** The SCIM resource for a row; the gateway adds {@code meta.location}. */
  static ObjectNode resource(UserRecord row) {
    return ResourceMeta.put(
        Documents.parse(row.resource), "User", row.created, row.lastModified, row.version);
  }
}
