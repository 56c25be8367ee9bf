package io.provisioninghub.graphsync.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Where a round writes: the gateway's SCIM API, as one tenant, as source graph. An interface so the
 * sync can be tested without a gateway.
 */
public interface ScimTarget {

  /** {@code Users} or {@code Groups}. */
  enum Kind {
    USERS("Users"),
    GROUPS("Groups");

    public final String path;

    Kind(String path) {
      this.path = path;
    }
  }

  /** An answer: its status and body (an empty object when there was none). */
  record Reply(int status, JsonNode body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** The SCIM error's scimType, if any. */
    public String scimType() {
      return body.path("scimType").asText("");
    }
  }

  /**
   * Returns when the gateway serves this tenant now; throws (an unchecked exception naming the
   * gateway's reason) when it does not: a suspended tenant, one the gateway does not know, or a
   * gateway that cannot serve. A round asks first, so it does not read Graph for nothing.
   */
  void requireServing(String tenantId);

  /** The id of the tenant's resource with this externalId, if there is one. */
  Optional<String> findByExternalId(String tenantId, Kind kind, String externalId);

  Reply create(String tenantId, Kind kind, ObjectNode resource);

  Reply replace(String tenantId, Kind kind, String id, ObjectNode resource);

  Reply patch(String tenantId, Kind kind, String id, ObjectNode patchOp);

  Reply delete(String tenantId, Kind kind, String id);
}
