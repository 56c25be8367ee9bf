package io.provisioninghub.processor.feed;

import io.provisioninghub.processor.apply.ProcessorConfig;
import io.provisioninghub.processor.retention.ChunkedDelete;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Deletes feed rows stored longer ago than {@code phub.processor.event-feed.retention} (default 7
 * days), in chunks: how far back an application can catch up through {@code /app/v1/.../events}.
 * Before deleting, it raises {@code scim.event_feed_horizon} to the highest seq it is about to
 * delete, which tells the read API which cursors may have missed events.
 */
@ApplicationScoped
public class EventFeedRetention {

  private static final Logger LOG = Logger.getLogger(EventFeedRetention.class);

  private static final ChunkedDelete FEED =
      new ChunkedDelete("scim.event_feed", "seq", "stored_at");

  private final Pool pool;
  private final ProcessorConfig config;

  public EventFeedRetention(Pool pool, ProcessorConfig config) {
    this.pool = pool;
    this.config = config;
  }

  @Scheduled(
      identity = "event-feed-retention",
      every = "${phub.processor.retention.every}",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> run() {
    return purge(Instant.now())
        .onFailure()
        .recoverWithItem(
            failure -> {
              LOG.warnf("event feed retention failed, next run retries: %s", failure);
              return 0L;
            })
        .replaceWithVoid();
  }

  /** Deletes every row stored before {@code now - retention}; the number of rows deleted. */
  public Uni<Long> purge(Instant now) {
    OffsetDateTime before =
        OffsetDateTime.ofInstant(now.minus(config.eventFeed().retention()), ZoneOffset.UTC);
    // The horizon first: a reader never finds rows gone without it having moved.
    return pool.preparedQuery(
            "insert into scim.event_feed_horizon (id, seq)"
                + " select 1, max(seq) from scim.event_feed where stored_at < $1 having max(seq) is"
                + " not null on conflict (id) do update set seq ="
                + " greatest(scim.event_feed_horizon.seq, excluded.seq)")
        .execute(Tuple.of(before))
        .chain(() -> FEED.olderThan(pool, before, config.retention().chunkSize()))
        .invoke(
            deleted -> {
              if (deleted > 0) {
                LOG.infof(
                    "event feed retention: %d event(s) older than %s deleted", deleted, before);
              }
            });
  }
}
