package io.provisioninghub.console.operator;

import io.provisioninghub.console.upstream.AuditApi.AccessRecord;
import io.provisioninghub.console.upstream.AuditApi.Operation;
import io.provisioninghub.console.upstream.RegistryApi.Tenant;
import io.provisioninghub.console.upstream.UpstreamRejected;
import io.provisioninghub.console.upstream.UpstreamUnavailable;
import io.provisioninghub.console.web.BadInput;
import io.provisioninghub.console.web.Format;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Support search across tenants: one tenant's operations or every tenant's, filtered. The audit log
 * has no query across tenants, so "all tenants" asks it once per tenant, each with a support token
 * naming that tenant and the operator: every look is in its support access log, and the page shows
 * the operator's latest records there.
 */
@Path("/console/operator/search")
@Blocking
public class OperatorSearchResource {

  private static final Logger LOG = Logger.getLogger(OperatorSearchResource.class);
  static final String ALL = "*";
  private static final int PER_TENANT = 20;
  private static final int SHOWN = 100;
  private static final Set<String> STATUSES = Set.of("success", "failure", "rejected", "pending");
  private static final Set<String> OPERATIONS = Set.of("CREATE", "REPLACE", "PATCH", "DELETE");

  /** One operation found, with its tenant. */
  public record Found(
      String tenant,
      String time,
      String operation,
      String resourceType,
      String source,
      String target,
      String status,
      String httpStatus,
      String reason,
      String recommendedAction,
      boolean failed) {}

  /** What the search page shows; {@code searched} false before the first search. */
  public record SearchPage(
      String operator,
      List<Tenant> tenants,
      String tenant,
      String status,
      String operation,
      String target,
      String from,
      String to,
      boolean searched,
      List<Found> results,
      List<String> unanswered,
      List<AccessRecord> recorded,
      String principal) {

    public String at(AccessRecord r) {
      return Format.time(r.at());
    }
  }

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance search(SearchPage page);
  }

  private final Operators operators;
  private final OperatorRegistry registry;
  private final OperatorAudit audit;
  private final SecurityIdentity identity;

  public OperatorSearchResource(
      Operators operators,
      OperatorRegistry registry,
      OperatorAudit audit,
      SecurityIdentity identity) {
    this.operators = operators;
    this.registry = registry;
    this.audit = audit;
    this.identity = identity;
  }

  @GET
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance search(
      @QueryParam("tenant") String tenant,
      @QueryParam("status") String status,
      @QueryParam("operation") String operation,
      @QueryParam("target") String target,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    Operator operator = operators.require(identity);
    List<Tenant> tenants = registry.tenants(operator);
    boolean searched = tenant != null && !tenant.isBlank();
    List<Found> results = new ArrayList<>();
    List<String> unanswered = new ArrayList<>();
    List<AccessRecord> recorded = List.of();
    if (searched) {
      Map<String, String> filters = filters(status, operation, target, from, to);
      List<String> asked =
          ALL.equals(tenant)
              ? tenants.stream().map(Tenant::id).toList()
              : List.of(OperatorTenantsResource.tenantId(tenant));
      for (String t : asked) {
        try {
          for (Operation op : audit.operations(operator, t, filters, PER_TENANT).items()) {
            results.add(found(t, op));
          }
        } catch (UpstreamUnavailable e) {
          unanswered.add(t);
        }
      }
      results.sort(Comparator.comparing(Found::time).reversed());
      if (results.size() > SHOWN) {
        results = new ArrayList<>(results.subList(0, SHOWN));
      }
      LOG.infof("operator %s searched %s (%d tenant(s))", operator.name(), tenant, asked.size());
      try {
        recorded = audit.accessLog(operator, 5).items();
      } catch (UpstreamUnavailable | UpstreamRejected e) {
        LOG.warnf("support access log not readable: %s", e.getMessage());
      }
    }
    return Templates.search(
        new SearchPage(
            operator.name(),
            tenants,
            tenant == null ? "" : tenant,
            blank(status),
            blank(operation),
            blank(target),
            blank(from),
            blank(to),
            searched,
            results,
            unanswered,
            recorded == null ? List.of() : recorded,
            operator.principal()));
  }

  private static Map<String, String> filters(
      String status, String operation, String target, String from, String to) {
    Map<String, String> filters = new LinkedHashMap<>();
    if (status != null && !status.isBlank()) {
      if (!STATUSES.contains(status)) {
        throw new BadInput("Status must be success, failure, rejected or pending.");
      }
      filters.put("status", status);
    }
    if (operation != null && !operation.isBlank()) {
      if (!OPERATIONS.contains(operation)) {
        throw new BadInput("Operation must be CREATE, REPLACE, PATCH or DELETE.");
      }
      filters.put("operation", operation);
    }
    if (target != null && !target.isBlank()) {
      if (target.length() > 256) {
        throw new BadInput("A user or group name has at most 256 characters.");
      }
      filters.put("target", target.strip());
    }
    putTime(filters, "from", from);
    putTime(filters, "to", to);
    return filters;
  }

  private static void putTime(Map<String, String> filters, String name, String value) {
    if (value == null || value.isBlank()) {
      return;
    }
    try {
      filters.put(name, Instant.parse(value).toString());
    } catch (DateTimeParseException e) {
      try {
        filters.put(name, LocalDateTime.parse(value).toInstant(ZoneOffset.UTC).toString());
      } catch (DateTimeParseException again) {
        throw new BadInput(
            "Times are UTC, such as 2026-01-31T09:30, or an ISO instant such as"
                + " 2026-01-31T09:30:00Z.");
      }
    }
  }

  private static Found found(String tenant, Operation op) {
    return new Found(
        tenant,
        Format.time(op.receivedAt()),
        op.scimOperation() != null ? op.scimOperation() : op.operation(),
        op.resourceType() == null ? "" : op.resourceType(),
        op.sourceName(),
        op.targetName(),
        op.status() == null ? "" : op.status(),
        op.httpStatus() == null ? "" : op.httpStatus().toString(),
        op.reason() == null ? "" : op.reason(),
        op.recommendedAction() == null ? "" : op.recommendedAction(),
        op.failed());
  }

  private static String blank(String value) {
    return value == null ? "" : value;
  }
}
