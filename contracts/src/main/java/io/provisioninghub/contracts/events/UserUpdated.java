package io.provisioninghub.contracts.events;

import java.util.List;

/** A user's attributes changed (other than only its active flag). */
public record UserUpdated(
    String tenantId,
    String resourceId,
    long version,
    List<String> changedAttributes,
    String userName,
    String externalId)
    implements ProvisioningEvent {

  @Override
  public String type() {
    return TYPE_PREFIX + "user.updated.v1";
  }
}
