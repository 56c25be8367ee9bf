package io.provisioninghub.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A user was created. {@code passwordSet} is true if the create carried a password (never the
 * password itself), absent otherwise.
 */
public record UserCreated(
    String tenantId,
    String resourceId,
    long version,
    List<String> changedAttributes,
    String userName,
    String externalId,
    boolean active,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean passwordSet,
    @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode changes)
    implements ProvisioningEvent {

  /** A create that set no password. */
  public UserCreated(
      String tenantId,
      String resourceId,
      long version,
      List<String> changedAttributes,
      String userName,
      String externalId,
      boolean active) {
    this(
        tenantId, resourceId, version, changedAttributes, userName, externalId, active, null, null);
  }

  @Override
  public String type() {
    return TYPE_PREFIX + "user.created.v1";
  }
}
