package io.provisioninghub.contracts.events;

import java.util.List;

/** A disabled user was enabled again. */
public record UserReactivated(
    String tenantId,
    String resourceId,
    long version,
    List<String> changedAttributes,
    String userName,
    String externalId)
    implements ProvisioningEvent {

  @Override
  public String type() {
    return TYPE_PREFIX + "user.reactivated.v1";
  }
}
