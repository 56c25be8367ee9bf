package io.provisioninghub.registry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Typed configuration of the tenant registry. */
@ConfigMapping(prefix = "phub.registry")
public interface RegistryConfig {

  /**
   * The rate limit a tenant gets when the operator sets none: 50 requests/s sustained, burst 500,
   * per gateway instance (docs/operations.md, "Rate limits", says why). The gateway falls back to
   * the same values for a tenant whose state carries none.
   */
  DefaultRateLimit defaultRateLimit();

  /** How long the previous credential stays valid after a rotation, unless it expires sooner. */
  @WithDefault("P7D")
  Duration rotationGrace();

  /**
   * Where the console is reached by a customer's admin, without a trailing slash: a setup link is
   * this followed by {@code /console/setup/} and its secret.
   */
  @WithDefault("http://127.0.0.1:8085")
  String consoleBaseUrl();

  /**
   * Base64 of 32 random bytes: the AES-256-GCM key of the client secrets stored for the console's
   * customer sign-in ({@code openssl rand -base64 32}, a secret). Required outside dev and test.
   */
  Optional<String> secretEncryptionKey();

  /** The compacted topic carrying tenant state. */
  @WithDefault("tenants.v1")
  String topic();

  /** Requests per second sustained and burst size. */
  interface DefaultRateLimit {
    @WithDefault("50")
    int requestsPerSecond();

    @WithDefault("500")
    int burst();
  }
}
