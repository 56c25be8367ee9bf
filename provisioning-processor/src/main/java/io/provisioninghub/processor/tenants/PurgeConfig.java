package io.provisioninghub.processor.tenants;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.List;
import java.util.Optional;

/** Purging a deleted tenant's SCIM data ({@link TenantPurger}). */
@ConfigMapping(prefix = "phub.processor.purge")
public interface PurgeConfig {

  /** Rows deleted per statement (and transaction); bounds how long one holds its locks. */
  @WithDefault("1000")
  int chunkSize();

  /**
   * The tenant registry's public keys ({@code keyId:base64}, comma separated; list old and new
   * while the registry's key rotates): a deletion is purged only if its snapshot carries the
   * registry's signature. Required outside dev and test, as for the gateways (ADR 0006).
   */
  @WithName("tenant-snapshots.public-keys")
  Optional<List<String>> tenantSnapshotPublicKeys();
}
