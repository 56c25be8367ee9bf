package io.provisioninghub.console.log;

import io.provisioninghub.console.upstream.AuditApi.Operation;
import io.provisioninghub.console.web.Format;
import java.util.List;

/** What the provisioning log page shows. */
public record LogPage(
    String displayName,
    LogFilter filter,
    List<String> statuses,
    List<Row> rows,
    String olderHref,
    String csvHref,
    Rate rate) {

  /** One operation as a table row; a failure carries its reason and recommended action. */
  public record Row(
      String time,
      String timeIso,
      String operation,
      String resourceType,
      String source,
      String target,
      String status,
      String httpStatus,
      boolean failed,
      String reason,
      String recommendedAction) {

    static Row of(Operation op) {
      return new Row(
          Format.time(op.receivedAt()),
          Format.iso(op.receivedAt()),
          op.operation() == null ? "" : op.operation(),
          op.resourceType() == null ? "" : op.resourceType(),
          op.sourceName(),
          op.targetName(),
          op.status() == null ? "" : op.status(),
          op.httpStatus() == null ? "" : op.httpStatus().toString(),
          op.failed(),
          op.reason() == null ? "" : op.reason(),
          op.recommendedAction() == null ? "" : op.recommendedAction());
    }
  }

  /** The failure rate over the page's range against the identity provider's threshold. */
  public record Rate(
      String range,
      long requests,
      long failures,
      String failureRate,
      String threshold,
      boolean atRisk) {}
}
