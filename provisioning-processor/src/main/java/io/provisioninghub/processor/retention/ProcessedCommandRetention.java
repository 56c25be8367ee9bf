package io.provisioninghub.processor.retention;

import io.provisioninghub.processor.apply.ProcessorConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
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
    return chunks(before, 0)
        .invoke(
            deleted -> {
              if (deleted > 0) {
                LOG.infof(
                    "processed_commands retention: %d row(s) older than %s deleted",
                    deleted, before);
              }
            });
  }

  private Uni<Long> chunks(OffsetDateTime before, long deleted) {
    int chunk = config.retention().chunkSize();
    return pool.preparedQuery(
            "delete from scim.processed_commands where command_id = any(array("
                + "select command_id from scim.processed_commands where processed_at < $1"
                + " limit $2))")
        .execute(Tuple.of(before, chunk))
        .map(RowSet::rowCount)
        .chain(
            count ->
                count < chunk
                    ? Uni.createFrom().item(deleted + count)
                    : chunks(before, deleted + count));
  }
}
