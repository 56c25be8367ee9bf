package io.provisioninghub.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Typed configuration of the SCIM gateway. */
@ConfigMapping(prefix = "phub.gateway")
public interface GatewayConfig {

  /**
   * How long a write waits for its outcome before answering 503 (milliseconds). Also configures the
   * Kafka request-reply channel; keep it well under Entra's 60 s request timeout.
   */
  @WithDefault("10000")
  long replyTimeoutMs();

  /**
   * This instance's partition of {@code scim.outcomes.v1}: the processor sends the outcome of each
   * command there, and only this instance reads it. Each gateway instance needs its own (the
   * StatefulSet's pod index in Kubernetes).
   */
  @WithDefault("0")
  int replyPartition();

  /**
   * Most resources one list or filter page returns (ServiceProviderConfig's {@code
   * filter.maxResults} and {@code pagination.maxPageSize}); a larger {@code count} is capped to it.
   * The default page size is 100 or this, whichever is smaller.
   */
  @WithDefault("1000")
  @WithName("list.max-results")
  int maxResults();

  /** Largest SCIM request body accepted; 413 with a SCIM error above it. */
  @WithDefault("1048576")
  long maxBodyBytes();

  /**
   * On SIGTERM, how long writes already waiting for their outcome may still get it before they are
   * answered 503 (milliseconds). Keep it, plus {@code quarkus.shutdown.timeout}, well under the
   * orchestrator's grace period (Kubernetes: 30 s).
   */
  @WithDefault("3000")
  long shutdownGraceMs();

  /** Bounds of the strict JSON reader for SCIM request bodies (docs/input-contract.md). */
  Input input();

  /** {@code POST /Bulk} (RFC 7644 section 3.7; ADR 0011). */
  Bulk bulk();

  /**
   * {@code phub.gateway.bulk.*}: the limits advertised in ServiceProviderConfig and enforced (413
   * with a SCIM error above them), and how many operations of one request run at once.
   */
  interface Bulk {

    /**
     * Most operations in one bulk request ({@code bulk.maxOperations}). Each operation takes one
     * token of the tenant's rate limit, so the default equals the default burst (500): a whole bulk
     * request fits a full bucket.
     */
    @WithDefault("500")
    int maxOperations();

    /**
     * Largest bulk request body in bytes ({@code bulk.maxPayloadSize}). Above {@code
     * quarkus.http.limits.max-body-size} (1M) raise that too.
     */
    @WithDefault("1048576")
    long maxPayloadBytes();

    /**
     * Operations of one bulk request in flight at once (those that wait for another one they
     * reference are not counted until they may start).
     */
    @WithDefault("16")
    int concurrency();
  }

  /** The parser's bounds; a body over any of them is 400 invalidSyntax, nothing published. */
  interface Input {

    /** Deepest nesting of objects and arrays; SCIM bodies need about 6. */
    @WithDefault("32")
    int maxNestingDepth();

    /** Longest attribute name (characters). */
    @WithDefault("1024")
    int maxNameLength();

    /** Longest number (digits and signs). */
    @WithDefault("100")
    int maxNumberLength();

    /** Most JSON tokens in one body (a member {"value":"<uuid>"} is four). */
    @WithDefault("250000")
    long maxTokenCount();
  }

  /**
   * Longest request target (path and query) accepted; 414 with a SCIM error above it. Vert.x's own
   * limit, {@code quarkus.http.limits.max-initial-line-length}, is set well above it so the gateway
   * sees the request and can answer.
   */
  @WithDefault("8192")
  int maxUriLength();

  /**
   * Largest total size of the request headers accepted; 431 with a SCIM error above it. Vert.x's
   * own limit, {@code quarkus.http.limits.max-header-size}, is set well above it.
   */
  @WithDefault("20480")
  int maxHeaderBytes();

  /**
   * PostgreSQL's {@code statement_timeout} on the read pool: a read running longer is cancelled and
   * answered 400 (too expensive), not 503. Set in application.properties, which passes the same
   * value to the pool's connections; write it as PostgreSQL and Quarkus both read it (5s, 2500ms).
   */
  java.time.Duration readStatementTimeout();

  /**
   * The URL clients reach the gateway at (scheme, host, port and any path prefix of the proxy in
   * front of it), the base of every link in a response. Required when the gateway listens on a
   * non-loopback address outside dev and test; the client's Host header is never used.
   */
  java.util.Optional<java.net.URI> publicBaseUrl();

  /** The Retry-After a client gets with a 503. */
  @WithDefault("5")
  long retryAfterSeconds();

  /** How often the latest use of each credential is reported to the tenant registry. */
  @WithDefault("PT60S")
  java.time.Duration usageReportInterval();

  /** The compacted topic the tenant registry publishes tenant state to. */
  @WithDefault("tenants.v1")
  String tenantsTopic();

  /** What the gateway demands of a tenant's OAuth trust and of the JWTs it accepts. */
  OAuth oauth();

  /** The application read API, {@code /app/v1} (docs/app-api.md). */
  App app();

  /**
   * The vendor's application authenticates to {@code /app/v1} with a JWT its own issuer signs
   * (RS256), never with a customer's SCIM secret. Without a public key the API answers 401.
   */
  interface App {
    /** The {@code iss} the application's tokens must carry. */
    @WithDefault("provisioninghub-app")
    String issuer();

    /** An {@code aud} the application's tokens must carry. */
    @WithDefault("provisioninghub-app-api")
    String audience();

    /** A PEM file with the RSA public key that verifies the application's tokens. */
    java.util.Optional<java.nio.file.Path> publicKeyLocation();

    /** A token issued ({@code iat}) longer ago than this is refused, whatever its {@code exp}. */
    @WithDefault("PT12H")
    java.time.Duration maxTokenAge();

    /** Items per page when the request does not say; at most {@link #maxPageSize()}. */
    @WithDefault("100")
    int defaultPageSize();

    @WithDefault("1000")
    int maxPageSize();
  }

  /** Services of our own that write through the SCIM API as another source (ADR 0022). */
  Sources sources();

  /**
   * {@code phub.gateway.sources.*}: our own source services (Graph delta sync; SAML JIT later)
   * write a tenant's users and groups through this same SCIM API, with a short-lived JWT they sign
   * (RS256): role {@code provisioning-source} in {@code groups}, the tenant in {@code tenant}, the
   * source in {@code source}. Without a public key no such token verifies.
   */
  interface Sources {
    /** The {@code iss} the source services' tokens must carry. */
    @WithDefault("provisioninghub-sources")
    String issuer();

    /** An {@code aud} they must carry. */
    @WithDefault("provisioninghub-scim-sources")
    String audience();

    /** A PEM file with the RSA public key that verifies them. */
    java.util.Optional<java.nio.file.Path> publicKeyLocation();

    /** A token issued ({@code iat}) longer ago than this is refused, whatever its {@code exp}. */
    @WithDefault("PT10M")
    java.time.Duration maxTokenAge();

    /** The values a token's {@code source} claim may take (never {@code scim}). */
    @WithDefault("graph,saml-jit")
    java.util.List<String> allowed();
  }

  /**
   * Argon2id parameters for tenants whose password policy is {@code hash} (docs/security.md,
   * "Passwords"). Changing them affects new hashes only; each stored hash names its own.
   */
  Password password();

  /** {@code phub.gateway.password.*}: the defaults are OWASP's minimum for Argon2id. */
  interface Password {

    /** Memory per hash, KiB (19 MiB). */
    @WithDefault("19456")
    int memoryKib();

    /** Passes over the memory. */
    @WithDefault("2")
    int iterations();

    /** Lanes per hash. */
    @WithDefault("1")
    int parallelism();

    /**
     * Hashes computed at once (each on its own worker thread, each holding {@code memory-kib}); 0
     * means one per processor. Further creates wait in line.
     */
    @WithDefault("0")
    int hashThreads();
  }

  /** Tenant rate limits ({@code phub.gateway.rate-limit.*}; docs/operations.md, "Rate limits"). */
  RateLimits rateLimit();

  /**
   * Where a tenant's token bucket lives. Off by default: each gateway instance keeps its own
   * buckets in memory, so n instances may admit up to n times a tenant's limit.
   */
  interface RateLimits {

    /**
     * One bucket per tenant for all gateway instances, in PostgreSQL ({@code
     * scim.rate_limit_buckets}, one round trip per SCIM request). When the store fails or answers
     * later than {@link #sharedTimeout()}, the request is decided by this instance's own bucket
     * (fail open to the per-instance limit), counted and logged, never refused because of it.
     */
    @WithDefault("false")
    boolean shared();

    /** Longest wait for the shared store's answer before this instance's bucket decides. */
    @WithDefault("PT0.2S")
    java.time.Duration sharedTimeout();

    /**
     * After the shared store failed or was slow, how long this instance decides on its own before
     * it asks the store again (so an outage costs no request the timeout).
     */
    @WithDefault("PT5S")
    java.time.Duration sharedBackoff();

    /**
     * Most tokens an instance takes from a tenant's shared bucket in one round trip (it takes a
     * tenth of the smaller of rate and burst, at least one, at most this). 1 asks the store for
     * every request: exact, and the most expensive.
     */
    @WithDefault("100")
    int sharedMaxLease();

    /** Connections to the shared store (a separate, writable pool). */
    @WithDefault("4")
    int sharedPoolSize();

    /**
     * The shared store's PostgreSQL URL ({@code postgresql://host:port/db}); by default the
     * gateway's database ({@code quarkus.datasource.reactive.url}).
     */
    java.util.Optional<String> sharedUrl();

    /** Its user; by default {@code quarkus.datasource.username}. */
    java.util.Optional<String> sharedUsername();

    /** Its password; by default {@code quarkus.datasource.password}. */
    java.util.Optional<String> sharedPassword();
  }

  /** Limits on OAuth trust and tokens ({@code phub.gateway.oauth.*}). */
  interface OAuth {

    /**
     * Hosts a tenant's JWKS may be fetched from: exact names, or {@code *.domain} for any name
     * under that domain (not the domain itself). Keys from anywhere else are never fetched, so a
     * tenant's trust cannot make the gateway call an arbitrary address. Sovereign clouds and Okta
     * custom domains are added here.
     */
    @WithDefault("login.microsoftonline.com,login.windows.net,sts.windows.net,*.okta.com")
    java.util.List<String> jwksHostAllowlist();

    /** A token issued ({@code iat}) longer ago than this is refused, whatever its {@code exp}. */
    @WithDefault("PT24H")
    java.time.Duration maxTokenAge();

    /** A token whose {@code exp} lies further than this after its {@code iat} is refused. */
    @WithDefault("PT24H")
    java.time.Duration maxTokenLifetime();

    /**
     * Clock difference tolerated between the identity provider and the gateway: for {@code iat} in
     * the future and for {@code exp}.
     */
    @WithDefault("PT60S")
    java.time.Duration clockSkew();
  }
}
