package io.provisioninghub.audit.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long audited operations are kept and how the purge proceeds. */
@ConfigMapping(prefix = "phub.audit.retention")
public interface RetentionConfig {

  /** Operations received longer ago than this are deleted, e.g. {@code P30D}. */
  @WithDefault("P30D")
  Duration period();

  /**
   * Records of support reads and exports ({@code audit.support_access}) older than this are
   * deleted. Their query strings can name the customer's users, so they are not kept for ever; they
   * outlive the operations they were about, so an access stays explainable after its data is gone.
   */
  @WithDefault("P90D")
  Duration accessLogPeriod();

  /** Rows per delete statement, so no statement holds locks or WAL for long. */
  @WithDefault("5000")
  int batchSize();

  /** How often the purge runs ({@code off} disables the schedule). */
  @WithDefault("1h")
  String every();
}
