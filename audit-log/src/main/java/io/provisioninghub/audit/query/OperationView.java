package io.provisioninghub.audit.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One audited operation as support staff see it. {@code requestBody} (already redacted when stored)
 * is only filled in the single-operation view. {@code traceId} is the W3C trace id the operation
 * carried through the gateway, the processor and this log (null if it carried none).
 */
public record OperationView(
    UUID commandId,
    String tenantId,
    Instant receivedAt,
    Instant appliedAt,
    Long durationMs,
    String operation,
    String scimOperation,
    String resourceType,
    String resourceId,
    Target target,
    String status,
    Integer httpStatus,
    String scimType,
    String reason,
    String recommendedAction,
    List<String> changedAttributes,
    String clientRequestId,
    String source,
    boolean commandSeen,
    boolean outcomeSeen,
    boolean deadLettered,
    String traceId,
    @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode requestBody) {

  /** Whom the operation was about. */
  public record Target(String userName, String displayName, String externalId) {}
}
