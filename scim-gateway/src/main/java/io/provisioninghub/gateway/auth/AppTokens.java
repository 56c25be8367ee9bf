package io.provisioninghub.gateway.auth;

import io.provisioninghub.gateway.GatewayConfig;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Optional;

/**
 * How the vendor application's tokens for {@code /app/v1} are verified: RS256 with the configured
 * public key, exact issuer and audience, {@code iat} required and no older than the configured age,
 * roles from {@code groups}. A separate OIDC tenant from every SCIM tenant's trust, so a customer's
 * token can never read through the application API nor the reverse.
 */
public final class AppTokens {

  /** Requests under this path are the application read API's. */
  public static final String PATH_PREFIX = "/app/";

  /** The OIDC tenant id of application tokens (never a SCIM tenant's: those carry '@'). */
  public static final String OIDC_TENANT = "phub-app";

  static final AppTokens NONE = new AppTokens(Optional.empty());

  private final Optional<OidcTenantConfig> config;

  AppTokens(GatewayConfig.App app) {
    this(app.publicKeyLocation().map(path -> build(app, read(path))));
  }

  private AppTokens(Optional<OidcTenantConfig> config) {
    this.config = config;
  }

  /** The verification settings, or empty when no public key is configured (every token fails). */
  Optional<OidcTenantConfig> config() {
    return config;
  }

  private static OidcTenantConfig build(GatewayConfig.App app, String publicKey) {
    return OidcTenantConfig.builder()
        .tenantId(OIDC_TENANT)
        .applicationType(ApplicationType.SERVICE)
        .discoveryEnabled(false)
        .publicKey(publicKey)
        .roles()
        .roleClaimPath("groups")
        .end()
        .token()
        .issuer(app.issuer())
        .audience(java.util.List.of(app.audience()))
        .issuedAtRequired(true)
        .age(app.maxTokenAge())
        .end()
        .build();
  }

  /** The key of a PEM file as OIDC wants it: the base64 body, without armour or line breaks. */
  static String read(java.nio.file.Path path) {
    try {
      return Files.readString(path)
          .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "")
          .replaceAll("\\s", "");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "phub.gateway.app.public-key-location: cannot read " + path, e);
    }
  }
}
