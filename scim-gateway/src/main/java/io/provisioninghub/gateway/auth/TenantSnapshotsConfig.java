package io.provisioninghub.gateway.auth;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/**
 * The tenant registry's public keys this gateway verifies every record of {@code tenants.v1} with
 * (docs/adr/0006). Required in production; in dev and test mode a gateway without keys accepts
 * unsigned records and says so.
 */
@ConfigMapping(prefix = "phub.gateway.tenant-snapshots")
public interface TenantSnapshotsConfig {

  /**
   * Trusted keys as {@code keyId:base64} (X.509 SubjectPublicKeyInfo of an Ed25519 key), comma
   * separated. List the old and the new key while the registry's key is rotated.
   */
  Optional<List<String>> publicKeys();
}
