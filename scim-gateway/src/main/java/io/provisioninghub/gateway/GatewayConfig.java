package io.provisioninghub.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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
   * Once a write has waited this long for its outcome, the gateway also looks for it in {@code
   * scim.processed_commands} (where the processor stores it with the change), and once more at the
   * reply timeout: a reply that the reply consumer missed then costs this long instead of a 503.
   */
  @WithDefault("PT2S")
  java.time.Duration outcomeRecheck();

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

  /** The Retry-After a client gets with a 503. */
  @WithDefault("5")
  long retryAfterSeconds();

  /** How often the latest use of each credential is reported to the tenant registry. */
  @WithDefault("PT60S")
  java.time.Duration usageReportInterval();

  /** The compacted topic the tenant registry publishes tenant state to. */
  @WithDefault("tenants.v1")
  String tenantsTopic();
}
