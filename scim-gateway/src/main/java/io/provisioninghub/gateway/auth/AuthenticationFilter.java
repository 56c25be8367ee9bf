package io.provisioninghub.gateway.auth;

import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.gateway.command.ShutdownDrain;
import io.provisioninghub.scim.error.ServiceUnavailableException;
import io.provisioninghub.scim.error.UnauthorizedException;
import io.quarkus.oidc.runtime.OidcUtils;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates and rate-limits every SCIM request before anything else happens to it. A bearer
 * value shaped like a JWT is verified by quarkus-oidc with its issuer's tenant settings ({@link
 * OAuthTenantConfigResolver}); anything else is a static secret looked up by hash.
 */
public class AuthenticationFilter {

  private static final String BEARER = "bearer ";

  private final TenantAuthenticator authenticator;
  private final TenantView view;
  private final TenantRateLimit rateLimit;
  private final CurrentTenant currentTenant;
  private final GatewayConfig config;
  private final ShutdownDrain drain;
  private final SourceTokens sources;

  /** The routing-context key under which the request's source is kept for its metrics. */
  public static final String SOURCE_KEY = "phub.source";

  public AuthenticationFilter(
      TenantAuthenticator authenticator,
      TenantView view,
      TenantRateLimit rateLimit,
      CurrentTenant currentTenant,
      GatewayConfig config,
      ShutdownDrain drain) {
    this.config = config;
    this.drain = drain;
    this.authenticator = authenticator;
    this.view = view;
    this.rateLimit = rateLimit;
    this.currentTenant = currentTenant;
    // (a configuration without sources: unit tests that mock it)
    this.sources =
        config.sources() == null ? SourceTokens.NONE : new SourceTokens(config.sources());
  }

  @ServerRequestFilter(preMatching = true)
  public Uni<Void> authenticate(ContainerRequestContext request, RoutingContext routing) {
    String path = request.getUriInfo().getPath();
    if (!path.startsWith("/scim/")) {
      return Uni.createFrom().voidItem();
    }
    if (!view.loaded()) {
      // HTTP is open before the tenant view has replayed tenants.v1: a valid secret must not get a
      // 401 (a client may then disable its provisioning); it is asked to come back instead.
      throw new ServiceUnavailableException(
          "the service is starting and cannot check credentials yet; retry shortly",
          config.retryAfterSeconds(),
          null);
    }
    if (drain.draining()) {
      // SIGTERM received: requests already in flight are being answered, new ones go elsewhere.
      throw new ServiceUnavailableException(
          "the service is shutting down; nothing was changed, retry shortly",
          config.retryAfterSeconds(),
          null);
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || header.isBlank()) {
      throw new UnauthorizedException("missing bearer token in the Authorization header");
    }
    if (header.length() <= BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new UnauthorizedException("the Authorization header must be 'Bearer <token>'");
    }
    String token = header.substring(BEARER.length()).trim();
    if (!UnverifiedClaims.looksLikeJwt(token)) {
      return accept(authenticator.authenticate(token), routing);
    }
    Uni<SecurityIdentity> identity = routing.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
    if (identity == null) {
      throw new UnauthorizedException("the bearer token is not valid");
    }
    return identity
        .onFailure()
        .transform(e -> new UnauthorizedException("the bearer token is not valid"))
        .chain(verified -> accept(tenantOf(verified), routing));
  }

  /**
   * The tenant of a verified JWT: the one that trusts its (now verified) issuer, and the same one
   * whose settings verified it, so a token of tenant A's issuer can never act as tenant B.
   */
  private Tenant tenantOf(SecurityIdentity identity) {
    if (identity == null
        || identity.isAnonymous()
        || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
      throw new UnauthorizedException("the bearer token is not valid");
    }
    String verifiedBy = identity.getAttribute(OidcUtils.TENANT_ID_ATTRIBUTE);
    if (SourceTokens.OIDC_TENANT.equals(verifiedBy)) {
      return sourceTenant(identity, jwt);
    }
    return view.tenantByIssuer(jwt.getIssuer())
        .filter(
            t ->
                verifiedBy != null
                    && verifiedBy.startsWith(
                        t.tenantId() + OAuthTenantConfigResolver.REVISION_SEPARATOR))
        .map(TenantAuthenticator::active)
        .orElseThrow(() -> new UnauthorizedException("no tenant trusts this token's issuer"));
  }

  /**
   * The tenant of one of our own source services' tokens (ADR 0022): named by its {@code tenant}
   * claim, which only that service's key can vouch for; its writes are recorded as the token's
   * {@code source}.
   */
  private Tenant sourceTenant(SecurityIdentity identity, JsonWebToken jwt) {
    if (!identity.hasRole(SourceTokens.ROLE)) {
      throw new UnauthorizedException("the bearer token is not valid for the SCIM API");
    }
    Object source = jwt.getClaim("source");
    Object tenant = jwt.getClaim("tenant");
    if (!(source instanceof String s) || !sources.allows(s)) {
      throw new UnauthorizedException("the bearer token names no source this service accepts");
    }
    if (!(tenant instanceof String id)) {
      throw new UnauthorizedException("the bearer token names no tenant");
    }
    return view.tenant(id)
        .map(TenantAuthenticator::active)
        .map(t -> t.withSource(s))
        .orElseThrow(() -> new UnauthorizedException("the bearer token names no known tenant"));
  }

  private Uni<Void> accept(Tenant tenant, RoutingContext routing) {
    if (routing != null) {
      routing.put(SOURCE_KEY, tenant.source());
    }
    // Known from here on, so a refusal below is filed under the tenant in the audit log.
    currentTenant.set(tenant);
    // Before any parsing or publishing: a tenant over its limit costs nothing downstream.
    return rateLimit.acquire(tenant);
  }
}
