package io.provisioninghub.processor.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.processor.apply.Documents;
import io.provisioninghub.scim.resource.ResourceMeta;
import io.provisioninghub.scim.schema.ScimSchemas;

/** Stored user rows as SCIM resources. */
final class UserDocuments {

  private UserDocuments() {}

  /**
   * The SCIM resource for a row, with its manager's current displayName when known; the gateway
   * adds {@code meta.location} and the manager's {@code $ref}.
   */
  static ObjectNode resource(UserRecord row, String managerName) {
    ObjectNode resource =
        ResourceMeta.put(
            Documents.parse(row.resource), "User", row.created, row.lastModified, row.version);
    if (managerName != null
        && resource.get(ScimSchemas.ENTERPRISE_USER) instanceof ObjectNode enterprise
        && enterprise.get("manager") instanceof ObjectNode manager) {
      manager.put("displayName", managerName);
    }
    return resource;
  }
}
