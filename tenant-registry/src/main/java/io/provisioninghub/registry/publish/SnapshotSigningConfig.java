package io.provisioninghub.registry.publish;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The key the registry signs every record of {@code tenants.v1} with (docs/adr/0006). Required in
 * production; in dev and test mode a registry without a key publishes unsigned records and says so.
 */
@ConfigMapping(prefix = "phub.registry.snapshot-signing")
public interface SnapshotSigningConfig {

  /**
   * The Ed25519 private key: base64 of PKCS#8, or a PEM "PRIVATE KEY" block ({@code openssl genpkey
   * -algorithm ed25519}). From a secret, never from a committed file.
   */
  Optional<String> privateKey();

  /** The id gateways know the public half by; a new id per key, so keys can be rotated. */
  @WithDefault("registry-1")
  String keyId();
}
