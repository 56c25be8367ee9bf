package io.provisioninghub.contracts.events;

import java.util.List;

/** A user was created. */
public record UserCreated(
    String tenantId,
    String resourceId,
    long version,
    List<String> changedAttributes,
    String userName,
    String externalId,
    boolean active)
    implements ProvisioningEvent {

  @Override
  public String type() {
    return TYPE_PREFIX + "user.created.v1";
  }
}
