package io.provisioninghub.gateway.auth;

import io.provisioninghub.scim.error.UnauthorizedException;
import jakarta.enterprise.context.RequestScoped;

/** The tenant of the current request, set by {@link AuthenticationFilter}. */
@RequestScoped
public class CurrentTenant {

  private Tenant tenant;

  void set(Tenant tenant) {
    this.tenant = tenant;
    // Every later log line of this request names its tenant (the MDC follows the Vert.x context).
    org.jboss.logging.MDC.put("tenantId", tenant.id());
  }

  /** The authenticated tenant, if the request got that far. */
  public java.util.Optional<Tenant> find() {
    return java.util.Optional.ofNullable(tenant);
  }

  /** The authenticated tenant; a request that reached a resource without one is refused. */
  public Tenant get() {
    if (tenant == null) {
      throw new UnauthorizedException("not authenticated");
    }
    return tenant;
  }
}
