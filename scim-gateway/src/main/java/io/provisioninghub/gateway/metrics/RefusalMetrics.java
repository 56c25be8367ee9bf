package io.provisioninghub.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.gateway.auth.TenantRefusal;
import io.provisioninghub.scim.error.ScimException;
import io.provisioninghub.scim.error.TooManyRequestsException;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Counts requests refused before any work: {@code phub_auth_failures_total{reason}} and {@code
 * phub_rate_limit_rejections_total}. The reason comes from the refusal's type and the shape of the
 * Authorization header, never from the credential's value.
 */
@Singleton
public class RefusalMetrics {

  public static final String AUTH_FAILURES = "phub.auth.failures";
  public static final String RATE_LIMITED = "phub.rate.limit.rejections";

  /** Request property naming the tenant of a refused credential (revoked, suspended). */
  static final String REFUSED_TENANT = "phub.refused-tenant";

  private static final String BEARER = "bearer ";

  private final MeterRegistry registry;
  private final Counter rateLimited;

  public RefusalMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.rateLimited =
        Counter.builder(RATE_LIMITED)
            .description("SCIM requests refused with 429 by a tenant's rate limit")
            .register(registry);
  }

  /** Called once per SCIM error answered by the gateway. */
  public void refused(ScimException e, ContainerRequestContext request) {
    if (e instanceof TenantRefusal refusal) {
      request.setProperty(REFUSED_TENANT, refusal.tenantId());
    }
    if (e instanceof TooManyRequestsException) {
      rateLimited();
      return;
    }
    String reason = reason(e, request.getHeaderString(HttpHeaders.AUTHORIZATION));
    if (reason != null) {
      Counter.builder(AUTH_FAILURES)
          .description("SCIM requests refused by authentication, by reason")
          .tag("reason", reason)
          .register(registry)
          .increment();
    }
  }

  /** One refusal by a tenant's rate limit: a request, or one operation of a bulk request. */
  public void rateLimited() {
    rateLimited.increment();
  }

  /**
   * missing, malformed, unknown, revoked, suspended or invalid_jwt; null when the failure is not an
   * authentication failure.
   */
  static String reason(ScimException e, String authorization) {
    if (e instanceof TenantRefusal.Forbidden) {
      return "suspended";
    }
    if (e.status() != 401) {
      return null;
    }
    if (e instanceof TenantRefusal.Unauthorized) {
      return "revoked";
    }
    if (authorization == null || authorization.isBlank()) {
      return "missing";
    }
    if (authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return "malformed";
    }
    return looksLikeJwt(authorization.substring(BEARER.length()).trim())
        ? "invalid_jwt"
        : "unknown";
  }

  // Same test as the authentication filter's: three non-empty dot-separated parts.
  private static boolean looksLikeJwt(String token) {
    int first = token.indexOf('.');
    int last = token.lastIndexOf('.');
    return first > 0 && last > first + 1 && last < token.length() - 1;
  }
}
