package io.provisioninghub.audit.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Ingestion settings: how long a batch is retried when the database is unavailable. */
@ConfigMapping(prefix = "phub.audit.ingest")
public interface IngestConfig {

  Retry retry();

  interface Retry {
    @WithDefault("200ms")
    Duration initialBackoff();

    @WithDefault("10s")
    Duration maxBackoff();

    @WithDefault("10")
    int maxAttempts();
  }
}
