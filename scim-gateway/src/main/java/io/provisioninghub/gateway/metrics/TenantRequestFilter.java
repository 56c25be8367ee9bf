package io.provisioninghub.gateway.metrics;

import io.provisioninghub.gateway.auth.CurrentTenant;
import io.provisioninghub.gateway.auth.Tenant;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Counts each answered SCIM request under its tenant, when the tenant is known: authenticated, or
 * named by a refused credential (revoked, suspended). Unknown credentials count nowhere per tenant.
 */
public class TenantRequestFilter {

  private final CurrentTenant tenant;
  private final TenantRequestCounter counter;

  public TenantRequestFilter(CurrentTenant tenant, TenantRequestCounter counter) {
    this.tenant = tenant;
    this.counter = counter;
  }

  @ServerResponseFilter
  public void count(ContainerRequestContext request, ContainerResponseContext response) {
    if (!request.getUriInfo().getPath().startsWith("/scim/")) {
      return;
    }
    Object refused = request.getProperty(RefusalMetrics.REFUSED_TENANT);
    String tenantId =
        refused instanceof String id ? id : tenant.find().map(Tenant::id).orElse(null);
    if (tenantId != null) {
      counter.record(tenantId, response.getStatus());
    }
  }
}
