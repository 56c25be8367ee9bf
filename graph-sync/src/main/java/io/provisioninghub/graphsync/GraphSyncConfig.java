package io.provisioninghub.graphsync;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Typed configuration of the Graph sync service (graph-sync/README.md). */
@ConfigMapping(prefix = "phub.graph-sync")
public interface GraphSyncConfig {

  /** Base64 of the 32-byte AES key that encrypts client secrets at rest; required in prod. */
  Optional<String> secretEncryptionKey();

  /** Entra's authority: tokens come from {@code <authority>/<entra tenant>/oauth2/v2.0/token}. */
  @WithDefault("https://login.microsoftonline.com")
  URI authorityUrl();

  /** Microsoft Graph's versioned base URL. */
  @WithDefault("https://graph.microsoft.com/v1.0")
  URI graphUrl();

  /** How often due tenants are looked for. */
  @WithDefault("PT10S")
  Duration tick();

  /** How long a claimed round holds its tenant before another instance may take it over. */
  @WithDefault("PT5M")
  Duration lease();

  /** Rounds run at once on this instance (over all tenants; each tenant one at a time). */
  @WithDefault("2")
  int concurrency();

  /**
   * SCIM writes of one round in flight at once. Each waits for the pipeline's round trip, so this
   * sets a round's pace until the tenant's rate limit does (docs/benchmarks.md).
   */
  @WithDefault("16")
  int writeConcurrency();

  /** The interval a tenant gets when its settings name none (Entra's SCIM cycle is 40 min). */
  @WithDefault("PT40M")
  Duration defaultInterval();

  /** The longest Retry-After honoured; a longer one fails the round (tried again next time). */
  @WithDefault("PT2M")
  Duration maxRetryAfter();

  /** Attempts of one request that is throttled or meets a transient failure. */
  @WithDefault("8")
  int maxAttempts();

  /**
   * The tenant registry's public keys ({@code keyId:base64}, comma separated; old and new while its
   * key rotates): a tenant's settings, rounds and objects are deleted only when its DELETING
   * snapshot on {@code tenants.v1} carries the registry's signature. Required outside dev and test,
   * as for the gateways and the processor (ADR 0006).
   */
  @WithName("tenant-snapshots.public-keys")
  Optional<List<String>> tenantSnapshotPublicKeys();

  Http http();

  Scim scim();

  /** Outbound HTTP to Entra, Graph and the gateway. */
  interface Http {
    @WithDefault("PT10S")
    Duration connectTimeout();

    @WithDefault("PT30S")
    Duration requestTimeout();
  }

  /**
   * The gateway's SCIM API, which every change goes through as source {@code graph}, with a
   * short-lived token signed by this service (ADR 0022).
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

    /** Members added or removed per PATCH. */
    @WithDefault("100")
    int membersPerPatch();
  }
}
