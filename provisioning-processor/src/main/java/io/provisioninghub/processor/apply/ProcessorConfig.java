package io.provisioninghub.processor.apply;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Typed configuration of the processor. */
@ConfigMapping(prefix = "phub.processor")
public interface ProcessorConfig {

  Retry retry();

  /** Retry of transient failures (database or broker unreachable) before dead-lettering. */
  interface Retry {
    @WithDefault("100ms")
    Duration initialBackoff();

    @WithDefault("5s")
    Duration maxBackoff();

    @WithDefault("20")
    int maxAttempts();
  }
}
