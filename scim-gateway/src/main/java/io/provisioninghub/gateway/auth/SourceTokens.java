package io.provisioninghub.gateway.auth;

import io.provisioninghub.gateway.GatewayConfig;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import java.util.List;
import java.util.Optional;

/**
 * How the tokens of our own source services (Graph delta sync, SAML JIT) are verified on the SCIM
 * API: RS256 with the configured public key, exact issuer and audience, {@code iat} required and
 * young, roles from {@code groups}. A separate OIDC tenant from every customer's trust and from the
 * application read API (ADR 0022), so none of these tokens passes for another.
 */
public final class SourceTokens {

  /** The OIDC tenant id of source tokens (never a SCIM tenant's: those carry '@'). */
  public static final String OIDC_TENANT = "phub-source";

  /** The role a source token must carry in {@code groups}. */
  public static final String ROLE = "provisioning-source";

  /** What an ordinary SCIM client's writes are recorded as. */
  public static final String SCIM = "scim";

  static final SourceTokens NONE = new SourceTokens(null, Optional.empty(), List.of());

  private final String issuer;
  private final Optional<OidcTenantConfig> config;
  private final List<String> allowed;

  SourceTokens(GatewayConfig.Sources sources) {
    this(
        sources.issuer(),
        sources.publicKeyLocation().map(path -> build(sources, AppTokens.read(path))),
        sources.allowed());
  }

  private SourceTokens(String issuer, Optional<OidcTenantConfig> config, List<String> allowed) {
    this.issuer = issuer;
    this.config = config;
    this.allowed = List.copyOf(allowed);
  }

  /** Whether an (unverified) issuer names the source services, so their key must verify it. */
  boolean claims(String unverifiedIssuer) {
    return config.isPresent() && issuer.equals(unverifiedIssuer);
  }

  Optional<OidcTenantConfig> config() {
    return config;
  }

  /** Whether a verified token's {@code source} claim is one this gateway accepts. */
  boolean allows(String source) {
    return source != null && !SCIM.equals(source) && allowed.contains(source);
  }

  private static OidcTenantConfig build(GatewayConfig.Sources sources, String publicKey) {
    return OidcTenantConfig.builder()
        .tenantId(OIDC_TENANT)
        .applicationType(ApplicationType.SERVICE)
        .discoveryEnabled(false)
        .publicKey(publicKey)
        .roles()
        .roleClaimPath("groups")
        .end()
        .token()
        .issuer(sources.issuer())
        .audience(List.of(sources.audience()))
        .issuedAtRequired(true)
        .age(sources.maxTokenAge())
        .end()
        .build();
  }
}
