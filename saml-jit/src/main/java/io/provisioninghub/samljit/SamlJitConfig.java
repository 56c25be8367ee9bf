package io.provisioninghub.samljit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Typed configuration of the SAML JIT service (saml-jit/README.md). */
@ConfigMapping(prefix = "phub.saml-jit")
public interface SamlJitConfig {

  /**
   * The public base URL this service is reached at by browsers, e.g. {@code
   * https://sso.vendor.example}. A tenant's entity id is {@code <base>/saml/<tenant>/metadata}, its
   * reply (ACS) URL {@code <base>/saml/<tenant>/acs}.
   */
  URI publicBaseUrl();

  /** How long an AuthnRequest we sent may be answered. */
  @WithDefault("PT10M")
  Duration requestTtl();

  /** How often expired AuthnRequest ids and consumed assertion ids are deleted. */
  @WithDefault("PT5M")
  Duration purgeInterval();

  /** SP-initiated sign-ins a tenant may start ({@code /saml/<tenant>/login}), per instance. */
  LoginLimit loginLimit();

  interface LoginLimit {
    /** Sign-ins that may start at once. */
    @WithDefault("100")
    int burst();

    /** Sign-ins added back every {@link #refillPeriod()}. */
    @WithDefault("10")
    int refill();

    @WithDefault("PT1S")
    Duration refillPeriod();
  }

  /**
   * The tenant registry's public keys ({@code keyId:base64}, comma separated; old and new while its
   * key rotates): a tenant's IdP settings and sign-in records are deleted only when its DELETING
   * snapshot on {@code tenants.v1} carries the registry's signature. Required outside dev and test,
   * as for the gateways and the processor (ADR 0006).
   */
  @WithName("tenant-snapshots.public-keys")
  Optional<List<String>> tenantSnapshotPublicKeys();

  Scim scim();

  /**
   * The gateway's SCIM API, which every sign-in writes through as source {@code saml-jit}, with a
   * short-lived token signed by this service (ADR 0022, ADR 0023).
   */
  interface Scim {
    /** The gateway's SCIM base, e.g. {@code http://scim-gateway:8080/scim/v2}. */
    URI baseUrl();

    /** PKCS#8 PEM RSA private key that signs the service tokens. */
    Path signingKeyLocation();

    /**
     * The {@code iss} of the service tokens (the gateway's {@code phub.gateway.sources.issuer}).
     */
    @WithDefault("provisioninghub-sources")
    String issuer();

    /** Their {@code aud} (the gateway's {@code phub.gateway.sources.audience}). */
    @WithDefault("provisioninghub-scim-sources")
    String audience();

    /** How long a service token is valid (it is reused until a minute before its end). */
    @WithDefault("PT5M")
    Duration tokenTtl();

    /** A sign-in waits at most this long for one gateway call. */
    @WithDefault("PT15S")
    Duration requestTimeout();
  }
}
