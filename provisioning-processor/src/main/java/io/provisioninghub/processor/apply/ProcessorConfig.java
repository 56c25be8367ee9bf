package io.provisioninghub.processor.apply;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Typed configuration of the processor. */
@ConfigMapping(prefix = "phub.processor")
public interface ProcessorConfig {

  Retry retry();

  Retention retention();

  EventFeed eventFeed();

  /** The events feed of the application read API (feed.EventFeedConsumer, docs/app-api.md). */
  interface EventFeed {
    /**
     * How long an event stays in {@code scim.event_feed}: how far back an application can catch up.
     * Deleted by the same schedule as {@code phub.processor.retention.every}.
     */
    @WithDefault("P7D")
    Duration retention();
  }

  /** Retention of {@code scim.processed_commands} (retention.ProcessedCommandRetention). */
  interface Retention {
    /**
     * How often the job runs (a scheduler interval such as {@code 1h}, or {@code off}); the default
     * is in application.properties, where the {@code @Scheduled} expression reads it.
     */
    String every();

    /**
     * How long a command's dedupe row is kept. Must exceed the retention of {@code
     * scim.commands.v1} (7 days in every topic configuration here): a command the broker can still
     * redeliver must find its row, or it would be applied again.
     */
    @WithDefault("P14D")
    Duration window();

    /** Rows deleted per statement. */
    @WithDefault("5000")
    int chunkSize();
  }

  /**
   * Kafka consumers of {@code scim.commands.v1} in this instance (the channel's concurrency), each
   * owning some partitions.
   */
  @WithDefault("1")
  int consumers();

  /**
   * Most commands taken from one poll and applied in one transaction (the channel's {@code
   * max.poll.records}). Larger batches cost fewer commits per command, but every command of a batch
   * waits for the whole batch before its outcome is sent.
   */
  @WithDefault("50")
  int batchSize();

  /**
   * Longest time one attempt to apply a command may take before it is abandoned and retried: a
   * guard against an attempt that never completes, which would otherwise stall its partition.
   */
  @WithDefault("30s")
  Duration applyTimeout();

  /** Retry of transient failures (database or broker unreachable) before dead-lettering. */
  interface Retry {
    @WithDefault("100ms")
    Duration initialBackoff();

    @WithDefault("5s")
    Duration maxBackoff();

    /**
     * Attempts before a transient failure is dead-lettered: 130 with backoff capped at 5 s is about
     * ten minutes, so a database restart or failover pauses the partition instead of dead-lettering
     * its commands (chaos suite, docs/reliability.md).
     */
    @WithDefault("130")
    int maxAttempts();
  }
}
