package io.provisioninghub.contracts.events;

import java.util.List;

/** A user was disabled (active became false): the leaver case. */
public record UserDeactivated(
    String tenantId,
    String resourceId,
    long version,
    List<String> changedAttributes,
    String userName,
    String externalId)
    implements ProvisioningEvent {

  @Override
  public String type() {
    return TYPE_PREFIX + "user.deactivated.v1";
  }
}
