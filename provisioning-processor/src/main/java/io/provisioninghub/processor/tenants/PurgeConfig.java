package io.provisioninghub.processor.tenants;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Purging a deleted tenant's SCIM data ({@link TenantPurger}). */
@ConfigMapping(prefix = "phub.processor.purge")
public interface PurgeConfig {

  /** Rows deleted per statement (and transaction); bounds how long one holds its locks. */
  @WithDefault("1000")
  int chunkSize();
}
