package io.provisioninghub.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What became of a command: the HTTP answer the gateway gives and, on success, the stored resource.
 *
 * @param commandId the command this answers
 * @param tenantId the command's tenant
 * @param status applied, failed or rejected
 * @param httpStatus the status code the SCIM client gets
 * @param scimType the RFC 7644 section 3.12 error type, if any
 * @param detail a human-readable reason, if any
 * @param resource the stored SCIM resource after the change, if there is one to return
 * @param version the resource version after the change (0 if none)
 * @param appliedAt when the processor decided
 */
public record ProvisioningOutcome(
    UUID commandId,
    String tenantId,
    OutcomeStatus status,
    int httpStatus,
    String scimType,
    String detail,
    JsonNode resource,
    long version,
    Instant appliedAt) {

  public ProvisioningOutcome {
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(appliedAt, "appliedAt");
    if (resource != null && resource.isNull()) {
      resource = null;
    }
  }

  public static ProvisioningOutcome applied(
      ProvisioningCommand command, int httpStatus, JsonNode resource, long version, Instant at) {
    return new ProvisioningOutcome(
        command.commandId(),
        command.tenantId(),
        OutcomeStatus.APPLIED,
        httpStatus,
        null,
        null,
        resource,
        version,
        at);
  }

  public static ProvisioningOutcome failed(
      ProvisioningCommand command, int httpStatus, String scimType, String detail, Instant at) {
    return new ProvisioningOutcome(
        command.commandId(),
        command.tenantId(),
        OutcomeStatus.FAILED,
        httpStatus,
        scimType,
        detail,
        null,
        0,
        at);
  }
}
