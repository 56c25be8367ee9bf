package io.provisioninghub.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A user's attributes changed (other than only its active flag). {@code passwordSet} is true if the
 * change set a password, false if it removed it (never the password itself), absent if it did not
 * touch it.
 */
public record UserUpdated(
    String tenantId,
    String resourceId,
    long version,
    List<String> changedAttributes,
    String userName,
    String externalId,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean passwordSet,
    @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode changes)
    implements ProvisioningEvent {

  /** A change that did not touch the password. */
  public UserUpdated(
      String tenantId,
      String resourceId,
      long version,
      List<String> changedAttributes,
      String userName,
      String externalId) {
    this(tenantId, resourceId, version, changedAttributes, userName, externalId, null, null);
  }

  @Override
  public String type() {
    return TYPE_PREFIX + "user.updated.v1";
  }
}
