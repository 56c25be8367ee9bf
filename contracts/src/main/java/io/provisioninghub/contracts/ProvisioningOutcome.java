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
 * @param rejectedRequest for a request the gateway refused before any command existed: what was
 *     asked; null for outcomes of commands
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
    Instant appliedAt,
    RejectedRequest rejectedRequest) {

  public ProvisioningOutcome {
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(appliedAt, "appliedAt");
    if (resource != null && resource.isNull()) {
      resource = null;
    }
  }

  /** An outcome of a command (not a gateway-side rejection). */
  public ProvisioningOutcome(
      UUID commandId,
      String tenantId,
      OutcomeStatus status,
      int httpStatus,
      String scimType,
      String detail,
      JsonNode resource,
      long version,
      Instant appliedAt) {
    this(
        commandId,
        tenantId,
        status,
        httpStatus,
        scimType,
        detail,
        resource,
        version,
        appliedAt,
        null);
  }

  /**
   * A request the gateway refused before publishing any command (bad syntax, bad filter, unknown
   * id, authentication with a known tenant, rate limit), so support can find it in the audit log.
   */
  public static ProvisioningOutcome rejected(
      String tenantId, int httpStatus, String scimType, String detail, RejectedRequest request) {
    return new ProvisioningOutcome(
        UUID.randomUUID(),
        tenantId,
        OutcomeStatus.REJECTED,
        httpStatus,
        scimType,
        detail,
        null,
        0,
        request.receivedAt(),
        request);
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

  /**
   * The detail of a refusal answered again from the processor's dedupe record, which keeps the
   * status and SCIM error type but not the first detail (it may quote the client's values).
   */
  public static String replayedRefusalDetail(int httpStatus, String scimType) {
    return "this request was already refused with "
        + httpStatus
        + (scimType == null ? "" : " (" + scimType + ")")
        + "; the reason is not kept, send the request again to see it";
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
