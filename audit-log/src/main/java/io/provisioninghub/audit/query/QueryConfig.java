package io.provisioninghub.audit.query;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of the support API. */
@ConfigMapping(prefix = "phub.audit.query")
public interface QueryConfig {

  @WithDefault("50")
  int defaultLimit();

  @WithDefault("500")
  int maxLimit();

  /** An export stops after this many rows; narrow the time range for more. */
  @WithDefault("1000000")
  long exportMaxRows();

  /** The failure rate at which Microsoft Entra puts a provisioning job in quarantine. */
  @WithDefault("0.4")
  double quarantineThreshold();

  /** How many failure reasons the summary lists. */
  @WithDefault("10")
  int topFailureReasons();
}
