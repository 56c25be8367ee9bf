package io.provisioninghub.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A group was created. */
public record GroupCreated(
    String tenantId,
    String resourceId,
    long version,
    List<String> changedAttributes,
    String displayName,
    String externalId,
    @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode changes)
    implements ProvisioningEvent {

  @Override
  public String type() {
    return TYPE_PREFIX + "group.created.v1";
  }
}
