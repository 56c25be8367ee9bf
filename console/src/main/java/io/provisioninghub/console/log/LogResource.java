package io.provisioninghub.console.log;

import io.provisioninghub.console.session.CustomerSession;
import io.provisioninghub.console.session.Sessions;
import io.provisioninghub.console.upstream.AuditApi.OperationPage;
import io.provisioninghub.console.upstream.AuditApi.Query;
import io.provisioninghub.console.upstream.AuditApi.Summary;
import io.provisioninghub.console.upstream.AuditClient;
import io.provisioninghub.console.web.Format;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The customer's provisioning log: its tenant's operations (the session's tenant, never a
 * parameter), filtered, newest first, with the failure rate against the quarantine threshold, and
 * the same as CSV.
 */
@Path("/console/tenant")
@Blocking
public class LogResource {

  static final int PAGE_SIZE = 50;
  static final Duration DEFAULT_RATE_RANGE = Duration.ofHours(24);

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance log(LogPage page);
  }

  private final Sessions sessions;
  private final AuditClient audit;

  public LogResource(Sessions sessions, AuditClient audit) {
    this.sessions = sessions;
    this.audit = audit;
  }

  @GET
  @Path("log")
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance log(
      @Context HttpHeaders headers,
      @QueryParam("user") String user,
      @QueryParam("group") String group,
      @QueryParam("status") String status,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("cursor") String cursor) {
    CustomerSession session = sessions.require(headers);
    LogFilter filter = LogFilter.of(user, group, status, from, to);
    Query query = filter.query();
    String position = LogFilter.cursor(cursor);
    OperationPage page = audit.operations(session, query, position, PAGE_SIZE);
    Summary summary =
        filter.hasRange()
            ? audit.summary(session, query.from(), query.to())
            : audit.summary(session, Instant.now().minus(DEFAULT_RATE_RANGE), null);
    List<LogPage.Row> rows =
        page.items() == null ? List.of() : page.items().stream().map(LogPage.Row::of).toList();
    return Templates.log(
        new LogPage(
            session.displayName(),
            filter,
            LogFilter.STATUSES,
            rows,
            page.nextCursor() == null
                ? null
                : "/console/tenant/log" + filter.queryString(page.nextCursor()),
            "/console/tenant/log.csv" + filter.queryString(null),
            new LogPage.Rate(
                filter.hasRange() ? "the chosen time range" : "the last 24 hours",
                summary.total(),
                summary.failures(),
                Format.percent(summary.failureRate()),
                Format.percent(summary.quarantineThreshold()),
                summary.quarantineRisk())));
  }

  /** The log with the same filters as CSV, streamed from the audit log's export. */
  @GET
  @Path("log.csv")
  @Produces("text/csv")
  public Response csv(
      @Context HttpHeaders headers,
      @QueryParam("user") String user,
      @QueryParam("group") String group,
      @QueryParam("status") String status,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    CustomerSession session = sessions.require(headers);
    Query query = LogFilter.of(user, group, status, from, to).query();
    InputStream body = audit.exportCsv(session, query);
    StreamingOutput out =
        output -> {
          try (InputStream in = body) {
            in.transferTo(output);
          }
        };
    return Response.ok(out, "text/csv; charset=utf-8")
        .header("Content-Disposition", "attachment; filename=\"provisioning-log.csv\"")
        .build();
  }
}
