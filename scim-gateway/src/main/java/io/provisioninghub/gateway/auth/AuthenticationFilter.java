package io.provisioninghub.gateway.auth;

import io.provisioninghub.scim.error.UnauthorizedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Authenticates and rate-limits every SCIM request before anything else happens to it. */
public class AuthenticationFilter {

  private static final String BEARER = "bearer ";

  private final TenantAuthenticator authenticator;
  private final RateLimiter rateLimiter;
  private final CurrentTenant currentTenant;

  public AuthenticationFilter(
      TenantAuthenticator authenticator, RateLimiter rateLimiter, CurrentTenant currentTenant) {
    this.authenticator = authenticator;
    this.rateLimiter = rateLimiter;
    this.currentTenant = currentTenant;
  }

  @ServerRequestFilter(preMatching = true)
  public void authenticate(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (!path.startsWith("/scim/")) {
      return;
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || header.isBlank()) {
      throw new UnauthorizedException("missing bearer token in the Authorization header");
    }
    if (header.length() <= BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new UnauthorizedException("the Authorization header must be 'Bearer <token>'");
    }
    Tenant tenant = authenticator.authenticate(header.substring(BEARER.length()).trim());
    // Before any parsing or publishing: a tenant over its limit costs nothing downstream.
    rateLimiter.acquire(tenant);
    currentTenant.set(tenant);
  }
}
