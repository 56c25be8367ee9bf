package io.provisioninghub.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code phub_scim_tenant_requests_total{tenant, outcome}}, the only tenant-labelled metric. At
 * most {@code limit} distinct tenant values per instance; requests of any further tenant count
 * under {@code tenant="_other"} (ADR 0005), so a flood of tenants cannot blow up the series count.
 */
public class TenantRequestCounter {

  public static final String NAME = "phub.scim.tenant.requests";
  public static final String OVERFLOW = "_other";

  private final MeterRegistry registry;
  private final int limit;
  private final Map<String, Boolean> labelled = new ConcurrentHashMap<>();

  public TenantRequestCounter(MeterRegistry registry, int limit) {
    this.registry = registry;
    this.limit = limit;
  }

  /** Counts one request of the tenant that got the given HTTP status. */
  public void record(String tenantId, int status) {
    counter(label(tenantId), outcome(status)).increment();
  }

  /** The tenant's own label while fewer than {@code limit} tenants have one, else "_other". */
  String label(String tenantId) {
    if (labelled.containsKey(tenantId)) {
      return tenantId;
    }
    synchronized (labelled) {
      if (labelled.containsKey(tenantId)) {
        return tenantId;
      }
      if (labelled.size() >= limit) {
        return OVERFLOW;
      }
      labelled.put(tenantId, Boolean.TRUE);
      return tenantId;
    }
  }

  static String outcome(int status) {
    if (status == 429) {
      return "rate_limited";
    }
    return status >= 400 ? "failure" : "success";
  }

  private Counter counter(String tenant, String outcome) {
    return Counter.builder(NAME)
        .description("SCIM requests per tenant (bounded: overflow counted as _other)")
        .tag("tenant", tenant)
        .tag("outcome", outcome)
        .register(registry);
  }
}
