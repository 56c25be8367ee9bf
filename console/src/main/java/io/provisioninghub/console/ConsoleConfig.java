package io.provisioninghub.console;

import io.smallrye.config.ConfigMapping;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The console's settings ({@code phub.console.*}); every default is in {@code
 * application.properties}.
 */
@ConfigMapping(prefix = "phub.console")
public interface ConsoleConfig {

  /** The tenant registry's root URL (its admin API is {@code /admin/v1} below it). */
  URI registryUrl();

  /** The audit log's root URL (its support API is {@code /audit/v1} below it). */
  URI auditUrl();

  /** The SCIM base URL a customer's identity provider is given as its Tenant URL. */
  String scimBaseUrl();

  /** Connect and answer timeout of every call to the registry and the audit log. */
  Duration upstreamTimeout();

  /** Signs admin tokens for the registry: a PKCS#8 PEM RSA private key (a secret). */
  Path adminSigningKeyLocation();

  /** Signs support tokens for the audit log: a PKCS#8 PEM RSA private key (a secret). */
  Path supportSigningKeyLocation();

  /** Issuer and audience of the admin tokens, as the registry verifies them. */
  Issuer admin();

  /** Issuer and audience of the support tokens, as the audit log verifies them. */
  Issuer support();

  /** How long a service token the console signs for one upstream call stays valid. */
  Duration serviceTokenTtl();

  /**
   * The key that seals session cookies: base64 of 32 random bytes, the same on every instance. If
   * absent, a random one is made at start (sessions then end with a restart and do not span
   * instances).
   */
  Optional<String> sessionKey();

  /** How long a customer session lasts after the setup link was redeemed. */
  Duration sessionTtl();

  /**
   * Whether cookies are {@code Secure} (and the session cookie {@code __Host-}-prefixed). Only a
   * console reached over plain http on a loopback address turns it off.
   */
  boolean cookieSecure();

  /**
   * The Content Security Policy's {@code form-action} sources: {@code 'self'}, plus the operators'
   * identity provider's origin when the operator pages are on (their logout redirects there).
   */
  String formAction();

  /**
   * How long the console keeps what the registry said about a tenant's sign-in with its own
   * identity provider (settings, or that there are none) before asking again.
   */
  Duration signInCacheTtl();

  /** The operator pages' settings. */
  Operator operator();

  /** Grafana's base URL, for the operator pages' links to the dashboards; none: no links. */
  Optional<URI> grafanaUrl();

  /** Who may use the operator pages. */
  interface Operator {
    /** The role (in {@code quarkus.oidc.roles.role-claim-path}) an operator needs. */
    String role();
  }

  /** An issuer and the audience it signs for. */
  interface Issuer {
    String issuer();

    String audience();

    /** The {@code kid} header, for a verifier that reads several keys from one key set (JWKS). */
    Optional<String> keyId();
  }
}
