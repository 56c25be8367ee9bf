package io.provisioninghub.gateway.auth;

import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.TenantSnapshot.OAuthTrust;
import io.provisioninghub.gateway.GatewayConfig;
import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * quarkus-oidc multi-tenancy fed by the {@link TenantView}: a JWT is verified with the settings of
 * the one tenant that trusts its issuer (keys from that tenant's JWKS location, exact issuer,
 * allowed audiences, {@code iat} required and no older than {@code
 * phub.gateway.oauth.max-token-age}). A token whose issuer no tenant trusts, or whose tenant's
 * trust the {@link OAuthTrustPolicy} refuses, gets no configuration and fails; no keys are fetched
 * for it.
 */
@ApplicationScoped
public class OAuthTenantConfigResolver implements TenantConfigResolver {

  private static final Logger LOG = Logger.getLogger(OAuthTenantConfigResolver.class);

  /** Separates our tenant id from the trust revision in the OIDC tenant id. */
  static final char REVISION_SEPARATOR = '@';

  private final TenantView view;
  private final AppTokens appTokens;
  private final SourceTokens sourceTokens;
  private final OAuthTrustPolicy policy;
  private final GatewayConfig.OAuth limits;

  /** The last refusal logged per tenant, so a refused trust is logged once, not on every call. */
  private final Map<String, String> refusalsLogged = new ConcurrentHashMap<>();

  @Inject
  public OAuthTenantConfigResolver(TenantView view, GatewayConfig config) {
    this(
        view,
        config.oauth(),
        new OAuthTrustPolicy(
            config.oauth().jwksHostAllowlist(), LaunchMode.current().isDevOrTest()),
        new AppTokens(config.app()),
        new SourceTokens(config.sources()));
  }

  OAuthTenantConfigResolver(TenantView view, GatewayConfig.OAuth limits, OAuthTrustPolicy policy) {
    this(view, limits, policy, AppTokens.NONE, SourceTokens.NONE);
  }

  OAuthTenantConfigResolver(
      TenantView view,
      GatewayConfig.OAuth limits,
      OAuthTrustPolicy policy,
      AppTokens appTokens,
      SourceTokens sourceTokens) {
    this.appTokens = appTokens;
    this.sourceTokens = sourceTokens;
    this.view = view;
    this.limits = limits;
    this.policy = policy;
  }

  @Override
  public Uni<OidcTenantConfig> resolve(
      RoutingContext context, OidcRequestContext<OidcTenantConfig> requestContext) {
    if (context.normalizedPath().startsWith(AppTokens.PATH_PREFIX)) {
      // The application read API: only the vendor's application key verifies, never a tenant's.
      return Uni.createFrom().item(appTokens.config().orElse(null));
    }
    Optional<String> issuer = bearer(context).flatMap(UnverifiedClaims::issuer);
    if (issuer.filter(sourceTokens::claims).isPresent()) {
      // One of our own source services (ADR 0022): only its key verifies, never a tenant's.
      return Uni.createFrom().item(sourceTokens.config().orElse(null));
    }
    Optional<TenantSnapshot> tenant = issuer.flatMap(view::tenantByIssuer);
    if (tenant.isEmpty() || tenant.get().oauthTrust() == null) {
      return Uni.createFrom().nullItem();
    }
    Optional<String> refusal = policy.refusal(tenant.get().oauthTrust());
    if (refusal.isPresent()) {
      String logged = oidcTenantId(tenant.get()) + " " + refusal.get();
      if (!logged.equals(refusalsLogged.put(tenant.get().tenantId(), logged))) {
        LOG.warnf(
            "OAuth trust of tenant %s refused, its tokens are rejected: %s",
            tenant.get().tenantId(), refusal.get());
      }
      return Uni.createFrom().nullItem();
    }
    return Uni.createFrom().item(config(tenant.get(), limits));
  }

  /**
   * The OIDC tenant id carries the snapshot's revision, so a changed trust (new keys location or
   * audience) gets a fresh OIDC context instead of the cached one.
   */
  static OidcTenantConfig config(TenantSnapshot tenant, GatewayConfig.OAuth limits) {
    OAuthTrust trust = tenant.oauthTrust();
    return OidcTenantConfig.authServerUrl(trust.issuer())
        .tenantId(oidcTenantId(tenant))
        .applicationType(ApplicationType.SERVICE)
        .discoveryEnabled(false)
        .jwksPath(trust.jwksUri())
        .token()
        .issuer(trust.issuer())
        .audience(trust.audiences())
        .issuedAtRequired(true)
        .age(limits.maxTokenAge())
        .lifespanGrace((int) limits.clockSkew().toSeconds())
        .end()
        .build();
  }

  private static String oidcTenantId(TenantSnapshot tenant) {
    return tenant.tenantId() + REVISION_SEPARATOR + tenant.revision();
  }

  private static Optional<String> bearer(RoutingContext context) {
    String header = context.request().getHeader("Authorization");
    if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "bearer ", 0, 7)) {
      return Optional.empty();
    }
    return Optional.of(header.substring(7).trim());
  }
}
