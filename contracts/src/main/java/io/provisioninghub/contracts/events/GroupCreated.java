package io.provisioninghub.contracts.events;

import java.util.List;

/** A group was created. */
public record GroupCreated(
    String tenantId,
    String resourceId,
    long version,
    List<String> changedAttributes,
    String displayName,
    String externalId)
    implements ProvisioningEvent {

  @Override
  public String type() {
    return TYPE_PREFIX + "group.created.v1";
  }
}
