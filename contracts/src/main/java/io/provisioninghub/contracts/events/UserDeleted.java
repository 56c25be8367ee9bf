package io.provisioninghub.contracts.events;

import java.util.List;

/** A user was deleted (hard delete); its memberships are gone too. */
public record UserDeleted(
    String tenantId,
    String resourceId,
    long version,
    List<String> changedAttributes,
    String userName,
    String externalId)
    implements ProvisioningEvent {

  @Override
  public String type() {
    return TYPE_PREFIX + "user.deleted.v1";
  }
}
