package io.provisioninghub.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A disabled user was enabled again. */
public record UserReactivated(
    String tenantId,
    String resourceId,
    long version,
    List<String> changedAttributes,
    String userName,
    String externalId,
    @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode changes)
    implements ProvisioningEvent {

  @Override
  public String type() {
    return TYPE_PREFIX + "user.reactivated.v1";
  }
}
