package io.provisioninghub.gateway.auth;

import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.TenantSnapshot.OAuthTrust;
import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * quarkus-oidc multi-tenancy fed by the {@link TenantView}: a JWT is verified with the settings of
 * the one tenant that trusts its issuer (keys from that tenant's JWKS location, exact issuer,
 * allowed audiences). A token whose issuer no tenant trusts gets no configuration and fails.
 */
@ApplicationScoped
public class OAuthTenantConfigResolver implements TenantConfigResolver {

  /** Separates our tenant id from the trust revision in the OIDC tenant id. */
  static final char REVISION_SEPARATOR = '@';

  private final TenantView view;

  public OAuthTenantConfigResolver(TenantView view) {
    this.view = view;
  }

  @Override
  public Uni<OidcTenantConfig> resolve(
      RoutingContext context, OidcRequestContext<OidcTenantConfig> requestContext) {
    Optional<TenantSnapshot> tenant =
        bearer(context).flatMap(UnverifiedClaims::issuer).flatMap(view::tenantByIssuer);
    if (tenant.isEmpty() || tenant.get().oauthTrust() == null) {
      return Uni.createFrom().nullItem();
    }
    return Uni.createFrom().item(config(tenant.get()));
  }

  /**
   * The OIDC tenant id carries the snapshot's revision, so a changed trust (new keys location or
   * audience) gets a fresh OIDC context instead of the cached one.
   */
  static OidcTenantConfig config(TenantSnapshot tenant) {
    OAuthTrust trust = tenant.oauthTrust();
    return OidcTenantConfig.authServerUrl(trust.issuer())
        .tenantId(tenant.tenantId() + REVISION_SEPARATOR + tenant.revision())
        .applicationType(ApplicationType.SERVICE)
        .discoveryEnabled(false)
        .jwksPath(trust.jwksUri())
        .token()
        .issuer(trust.issuer())
        .audience(trust.audiences())
        .end()
        .build();
  }

  private static Optional<String> bearer(RoutingContext context) {
    String header = context.request().getHeader("Authorization");
    if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "bearer ", 0, 7)) {
      return Optional.empty();
    }
    return Optional.of(header.substring(7).trim());
  }
}
