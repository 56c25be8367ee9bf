package io.provisioninghub.audit.query;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A tenant's operations over a time range: counts, the most frequent failure reasons, and how close
 * its failure rate is to the identity provider's quarantine threshold.
 */
public record TenantSummary(
    String tenantId,
    Instant from,
    Instant to,
    long total,
    Map<String, Long> byStatus,
    Map<String, Long> byOperation,
    List<FailureReason> topFailureReasons,
    double failureRate,
    double quarantineThreshold,
    double headroom,
    boolean quarantineRisk) {

  /**
   * One kind of failure (status, HTTP status, scimType and what was addressed): how often, an
   * example reason, and what to do about it.
   */
  public record FailureReason(
      String status,
      Integer httpStatus,
      String scimType,
      String resourceType,
      long count,
      String exampleReason,
      String recommendedAction) {}
}
