package io.provisioninghub.contracts.events;

import java.util.List;

/** A group's own attributes changed (not its members). */
public record GroupUpdated(
    String tenantId,
    String resourceId,
    long version,
    List<String> changedAttributes,
    String displayName,
    String externalId)
    implements ProvisioningEvent {

  @Override
  public String type() {
    return TYPE_PREFIX + "group.updated.v1";
  }
}
