package io.provisioninghub.console.upstream;

import io.provisioninghub.console.ConsoleConfig;
import io.provisioninghub.console.session.CustomerSession;
import io.provisioninghub.console.upstream.AuditApi.OperationPage;
import io.provisioninghub.console.upstream.AuditApi.Query;
import io.provisioninghub.console.upstream.AuditApi.Summary;
import io.provisioninghub.console.upstream.Upstream.Reply;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit log's support API, called with a support token that may read only the session's tenant
 * (so the audit log's own check and access record also name it). Every call takes the customer's
 * session and nothing else names a tenant.
 */
@Singleton
public class AuditClient {

  static final String SERVICE = "audit-log";

  private final Upstream upstream;
  private final ServiceTokens tokens;
  private final URI base;

  public AuditClient(Upstream upstream, ServiceTokens tokens, ConsoleConfig config) {
    this.upstream = upstream;
    this.tokens = tokens;
    this.base = config.auditUrl();
  }

  /** Counts, top failure reasons and the failure rate from {@code from} to {@code to} (or now). */
  public Summary summary(CustomerSession session, Instant from, Instant to) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("from", from == null ? null : from.toString());
    parameters.put("to", to == null ? null : to.toString());
    return read(get(session, "/summary" + Upstream.query(parameters)), Summary.class);
  }

  /** One page of operations, newest first. */
  public OperationPage operations(CustomerSession session, Query query, String cursor, int limit) {
    Map<String, String> parameters = parameters(query);
    parameters.put("cursor", cursor);
    parameters.put("limit", Integer.toString(limit));
    return read(get(session, "/operations" + Upstream.query(parameters)), OperationPage.class);
  }

  /**
   * Every matching operation as CSV, streamed as the audit log writes it.
   *
   * @return the open body; the caller closes it
   */
  public InputStream exportCsv(CustomerSession session, Query query) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("format", "csv");
    parameters.putAll(parameters(query));
    HttpRequest request =
        requestFor(session, "/operations/export" + Upstream.query(parameters))
            .setHeader("Accept", "text/csv")
            .GET()
            .build();
    HttpResponse<InputStream> response = upstream.stream(SERVICE, request);
    if (response.statusCode() != 200) {
      try (InputStream body = response.body()) {
        byte[] bytes = body.readNBytes(64 * 1024);
        check(new Reply(response.statusCode(), bytes));
      } catch (IOException e) {
        throw new UpstreamUnavailable(SERVICE, "answered HTTP " + response.statusCode(), e);
      }
    }
    return response.body();
  }

  private static Map<String, String> parameters(Query query) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("target", query.target());
    parameters.put("resourceType", query.resourceType());
    parameters.put("status", query.status());
    parameters.put("from", query.from() == null ? null : query.from().toString());
    parameters.put("to", query.to() == null ? null : query.to().toString());
    return parameters;
  }

  private HttpRequest get(CustomerSession session, String pathAndQuery) {
    return requestFor(session, pathAndQuery).GET().build();
  }

  private HttpRequest.Builder requestFor(CustomerSession session, String pathAndQuery) {
    return upstream.request(
        base,
        "/audit/v1/tenants/" + Upstream.segment(session.tenantId()) + pathAndQuery,
        tokens.support(session.principal(), session.tenantId()));
  }

  private <T> T read(HttpRequest request, Class<T> type) {
    Reply reply = upstream.send(SERVICE, request);
    check(reply);
    return upstream.read(SERVICE, reply, type);
  }

  private void check(Reply reply) {
    if (reply.status() == 200) {
      return;
    }
    if (reply.status() == 400) {
      var problem = upstream.tree(reply);
      String parameter =
          problem != null && problem.hasNonNull("parameter")
              ? problem.get("parameter").asText()
              : "?";
      throw new UpstreamRejected("the audit log refused the parameter " + parameter);
    }
    throw new UpstreamUnavailable(SERVICE, "answered HTTP " + reply.status());
  }
}
