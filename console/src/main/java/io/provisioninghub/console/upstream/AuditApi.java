package io.provisioninghub.console.upstream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The audit log's documents the console reads (unknown members are ignored). */
public final class AuditApi {

  private AuditApi() {}

  /** One audited operation. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Operation(
      String commandId,
      Instant receivedAt,
      String operation,
      String scimOperation,
      String resourceType,
      Target target,
      String status,
      Integer httpStatus,
      String scimType,
      String reason,
      String recommendedAction,
      String source) {

    /** Whom the operation was about. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Target(String userName, String displayName, String externalId) {}

    /** Failed or refused: an answer the identity provider counts against the endpoint. */
    public boolean failed() {
      return "failure".equals(status) || "rejected".equals(status);
    }

    /**
     * The provisioning path the operation came by, in plain words: the customer's SCIM client,
     * Microsoft Graph sync or a SAML sign-in (just-in-time); another source by its name.
     */
    public String sourceName() {
      if (source == null || source.isEmpty() || "scim".equals(source)) {
        return "SCIM";
      }
      return switch (source) {
        case "graph" -> "Microsoft Graph sync";
        case "saml-jit" -> "SAML sign-in";
        default -> source;
      };
    }

    /** The user's or group's name, else its external id, else "". */
    public String targetName() {
      if (target == null) {
        return "";
      }
      if (target.userName() != null) {
        return target.userName();
      }
      if (target.displayName() != null) {
        return target.displayName();
      }
      return target.externalId() == null ? "" : target.externalId();
    }
  }

  /** A page of operations, newest first; {@code nextCursor} is null on the last page. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record OperationPage(List<Operation> items, String nextCursor) {}

  /** A tenant's operations over a time range, against the quarantine threshold. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Summary(
      Instant from,
      Instant to,
      long total,
      Map<String, Long> byStatus,
      List<FailureReason> topFailureReasons,
      double failureRate,
      double quarantineThreshold,
      boolean quarantineRisk) {

    /** Failed and refused operations. */
    public long failures() {
      return byStatus == null
          ? 0
          : byStatus.getOrDefault("failure", 0L) + byStatus.getOrDefault("rejected", 0L);
    }
  }

  /** One kind of failure: how often, an example reason, and what to do about it. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record FailureReason(
      String status,
      Integer httpStatus,
      String scimType,
      String resourceType,
      long count,
      String exampleReason,
      String recommendedAction) {}

  /** The filters of a log query, in the audit log's own terms. */
  public record Query(String target, String resourceType, String status, Instant from, Instant to) {

    public static final Query ALL = new Query(null, null, null, null, null);
  }

  /** One record of the audit log's support access log: who read which tenant, and how. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AccessRecord(
      Instant at, String subject, String tenantId, String action, String query, boolean allowed) {}

  /** A page of the support access log, newest first. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AccessPage(List<AccessRecord> items, String nextBefore) {}
}
