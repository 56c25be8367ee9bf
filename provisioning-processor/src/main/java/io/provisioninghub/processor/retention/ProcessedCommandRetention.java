package io.provisioninghub.processor.retention;

import io.provisioninghub.processor.apply.ProcessorConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Deletes {@code scim.processed_commands} rows older than {@code phub.processor.retention.window}
 * (default 14 days), in chunks. The window must outlive the retention of {@code scim.commands.v1}
 * (7 days, the broker default, in every topic configuration of this project): a command the broker
 * can still redeliver must still find its row, or it would be applied twice.
 */
@ApplicationScoped
public class ProcessedCommandRetention {

  private static final Logger LOG = Logger.getLogger(ProcessedCommandRetention.class);

  private static final ChunkedDelete COMMANDS =
      new ChunkedDelete("scim.processed_commands", "command_id", "processed_at");

  private final Pool pool;
  private final ProcessorConfig config;

  public ProcessedCommandRetention(Pool pool, ProcessorConfig config) {
    this.pool = pool;
    this.config = config;
  }

  @Scheduled(
      identity = "processed-commands-retention",
      every = "${phub.processor.retention.every}",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> run() {
    return purge(Instant.now())
        .onFailure()
        .recoverWithItem(
            failure -> {
              LOG.warnf("processed_commands retention failed, next run retries: %s", failure);
              return 0L;
            })
        .replaceWithVoid();
  }

  /** Deletes every row processed before {@code now - window}; the number of rows deleted. */
  public Uni<Long> purge(Instant now) {
    OffsetDateTime before =
        OffsetDateTime.ofInstant(now.minus(config.retention().window()), ZoneOffset.UTC);
    return COMMANDS
        .olderThan(pool, before, config.retention().chunkSize())
        .invoke(
            deleted -> {
              if (deleted > 0) {
                LOG.infof(
                    "processed_commands retention: %d row(s) older than %s deleted",
                    deleted, before);
              }
            });
  }
}
