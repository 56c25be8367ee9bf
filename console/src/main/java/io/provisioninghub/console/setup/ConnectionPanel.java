package io.provisioninghub.console.setup;

import io.provisioninghub.console.session.CustomerSession;
import io.provisioninghub.console.upstream.AuditApi.FailureReason;
import io.provisioninghub.console.upstream.AuditApi.Operation;
import io.provisioninghub.console.upstream.AuditApi.Query;
import io.provisioninghub.console.upstream.AuditApi.Summary;
import io.provisioninghub.console.upstream.AuditClient;
import io.provisioninghub.console.web.Format;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds the connection panel from the audit log's summary of the last hour and newest entry. */
@Singleton
public class ConnectionPanel {

  static final Duration WINDOW = Duration.ofHours(1);
  static final int ERRORS_SHOWN = 5;

  private final AuditClient audit;

  public ConnectionPanel(AuditClient audit) {
    this.audit = audit;
  }

  public Connection of(CustomerSession session) {
    Instant now = Instant.now();
    Summary summary = audit.summary(session, now.minus(WINDOW), null);
    List<Operation> newest = audit.operations(session, Query.ALL, null, 1).items();
    Instant last = newest == null || newest.isEmpty() ? null : newest.get(0).receivedAt();
    List<Connection.Problem> errors = new ArrayList<>();
    if (summary.topFailureReasons() != null) {
      for (FailureReason reason : summary.topFailureReasons()) {
        if (errors.size() == ERRORS_SHOWN) {
          break;
        }
        errors.add(
            new Connection.Problem(
                what(reason), reason.count(), reason.exampleReason(), reason.recommendedAction()));
      }
    }
    return new Connection(
        last == null ? "No request seen yet" : Format.time(last),
        Format.iso(last),
        summary.total(),
        summary.failures(),
        Format.percent(summary.failureRate()),
        Format.percent(summary.quarantineThreshold()),
        summary.quarantineRisk(),
        List.copyOf(errors));
  }

  private static String what(FailureReason reason) {
    StringBuilder what = new StringBuilder();
    if (reason.httpStatus() != null) {
      what.append("HTTP ").append(reason.httpStatus());
    }
    if (reason.scimType() != null && !reason.scimType().isBlank()) {
      what.append(what.length() > 0 ? " " : "").append(reason.scimType());
    }
    if (reason.resourceType() != null) {
      what.append(what.length() > 0 ? " on " : "").append(reason.resourceType());
    }
    return what.length() == 0 ? "Failure" : what.toString();
  }
}
