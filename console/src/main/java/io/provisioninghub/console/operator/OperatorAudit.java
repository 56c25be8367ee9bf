package io.provisioninghub.console.operator;

import io.provisioninghub.console.ConsoleConfig;
import io.provisioninghub.console.upstream.AuditApi.AccessPage;
import io.provisioninghub.console.upstream.AuditApi.OperationPage;
import io.provisioninghub.console.upstream.AuditApi.Summary;
import io.provisioninghub.console.upstream.ServiceTokens;
import io.provisioninghub.console.upstream.Upstream;
import io.provisioninghub.console.upstream.Upstream.Reply;
import io.provisioninghub.console.upstream.UpstreamRejected;
import io.provisioninghub.console.upstream.UpstreamUnavailable;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit log's support API for the operator pages: each call with a support token whose {@code
 * tenants} claim names the one tenant asked about and whose subject names the operator, so the
 * audit log's support access log records every look.
 */
@Singleton
public class OperatorAudit {

  static final String SERVICE = "audit-log";

  private final Upstream upstream;
  private final ServiceTokens tokens;
  private final URI base;

  public OperatorAudit(Upstream upstream, ServiceTokens tokens, ConsoleConfig config) {
    this.upstream = upstream;
    this.tokens = tokens;
    this.base = config.auditUrl();
  }

  public Summary summary(Operator operator, String tenantId, Instant from) {
    return read(
        operator,
        tenantId,
        "/summary" + Upstream.query(Map.of("from", from.toString())),
        Summary.class);
  }

  /** One page of a tenant's operations, newest first, filtered by the audit log's parameters. */
  public OperationPage operations(
      Operator operator, String tenantId, Map<String, String> filters, int limit) {
    Map<String, String> parameters = new LinkedHashMap<>(filters);
    parameters.put("limit", Integer.toString(limit));
    return read(
        operator, tenantId, "/operations" + Upstream.query(parameters), OperationPage.class);
  }

  /** The newest support access records of this operator. */
  public AccessPage accessLog(Operator operator, int limit) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("subject", operator.principal());
    parameters.put("limit", Integer.toString(limit));
    Reply reply =
        upstream.send(
            SERVICE,
            upstream
                .request(
                    base,
                    "/audit/v1/access-log" + Upstream.query(parameters),
                    tokens.auditor(operator.principal()))
                .GET()
                .build());
    check(reply);
    return upstream.read(SERVICE, reply, AccessPage.class);
  }

  private <T> T read(Operator operator, String tenantId, String pathAndQuery, Class<T> type) {
    Reply reply =
        upstream.send(
            SERVICE,
            upstream
                .request(
                    base,
                    "/audit/v1/tenants/" + Upstream.segment(tenantId) + pathAndQuery,
                    tokens.support(operator.principal(), tenantId))
                .GET()
                .build());
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
