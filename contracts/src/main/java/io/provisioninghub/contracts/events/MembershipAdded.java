package io.provisioninghub.contracts.events;

import java.util.List;

/** Members were added to a group; resourceId is the group. */
public record MembershipAdded(
    String tenantId,
    String resourceId,
    long version,
    List<String> changedAttributes,
    List<String> memberIds)
    implements ProvisioningEvent {

  @Override
  public String type() {
    return TYPE_PREFIX + "group.membership.added.v1";
  }
}
