package io.provisioninghub.contracts.events;

import java.util.List;

/** A group was deleted. */
public record GroupDeleted(
    String tenantId,
    String resourceId,
    long version,
    List<String> changedAttributes,
    String displayName,
    String externalId)
    implements ProvisioningEvent {

  @Override
  public String type() {
    return TYPE_PREFIX + "group.deleted.v1";
  }
}
