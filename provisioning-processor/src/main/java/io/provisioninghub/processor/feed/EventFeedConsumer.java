package io.provisioninghub.processor.feed;

import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.events.EventRecord;
import io.provisioninghub.processor.apply.Failures;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.support.consumer.SetAsideRecords.Reason;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Copies {@code provisioning.events.v1} into {@code scim.event_feed}, the events feed of the
 * application read API (docs/app-api.md). Off the write path: a batch of records becomes one
 * transaction under one advisory lock, so feed rows commit in {@code seq} order whichever instance
 * writes them, and a reader paging by {@code seq} never misses a row that commits later. A
 * redelivered event is dropped by its id. A record that is not an event of ours (no {@code ce_id},
 * a key without a tenant, a value that is not JSON) is counted and set aside; it never stops the
 * feed. The batch is acknowledged after its commit; a failing database is retried, never skipped.
 */
@ApplicationScoped
public class EventFeedConsumer {

  private static final Logger LOG = Logger.getLogger(EventFeedConsumer.class);

  /** One lock for every writer of the feed (an arbitrary constant: "feed"). */
  static final long LOCK = 0x66656564L;

  private final Pool pool;
  private final SetAsideRecords setAside;

  public EventFeedConsumer(Pool pool, MeterRegistry registry) {
    this.pool = pool;
    this.setAside = new SetAsideRecords(registry, "event-feed");
  }

  /** One row of the feed. */
  record FeedRow(
      String tenantId,
      String eventId,
      String type,
      String subject,
      OffsetDateTime time,
      String data) {}

  @Incoming("event-feed")
  public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
    List<Tuple> rows = new ArrayList<>();
    for (KafkaRecord<String, byte[]> record : batch) {
      row(record)
          .ifPresent(
              r ->
                  rows.add(
                      Tuple.of(r.tenantId(), r.eventId(), r.type(), r.subject())
                          .addValue(r.time())
                          .addValue(r.data())));
    }
    Uni<Void> stored =
        rows.isEmpty()
            ? Uni.createFrom().voidItem()
            : store(rows)
                // A value PostgreSQL refuses for good (a NUL in a header, a \u0000 that jsonb
                // cannot hold): store the batch row by row and set that one aside, so one bad
                // record never stops the feed.
                .onFailure(f -> Failures.refusal(f).isPresent())
                .recoverWithUni(() -> oneByOne(rows));
    return stored
        .onFailure()
        .invoke(
            failure ->
                LOG.warnf(
                    "storing %d event(s) in the feed failed, retrying: %s",
                    rows.size(), SetAsideRecords.describe(failure)))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
        .indefinitely()
        .chain(() -> Uni.createFrom().completionStage(batch.ack()));
  }

  private Uni<Void> oneByOne(List<Tuple> rows) {
    return io.smallrye.mutiny.Multi.createFrom()
        .iterable(rows)
        .onItem()
        .transformToUniAndConcatenate(
            row ->
                store(List.of(row))
                    .onFailure(f -> Failures.refusal(f).isPresent())
                    .recoverWithItem(
                        f -> {
                          setAside.count(Reason.REFUSED);
                          LOG.warnf(
                              "set aside event %s (not kept in the feed): the database refuses it"
                                  + " (SQL state %s)",
                              row.getString(1), Failures.refusal(f).orElse("?"));
                          return null;
                        }))
        .collect()
        .last()
        .replaceWithVoid();
  }

  private Uni<Void> store(List<Tuple> rows) {
    return pool.withTransaction(
        c ->
            c.preparedQuery("select pg_advisory_xact_lock($1)")
                .execute(Tuple.of(LOCK))
                .chain(
                    () ->
                        c.preparedQuery(
                                "insert into scim.event_feed"
                                    + " (tenant_id, event_id, type, subject, time, data)"
                                    + " values ($1, $2, $3, $4, $5, ($6::text)::jsonb)"
                                    + " on conflict (event_id) do nothing")
                            .executeBatch(rows))
                .replaceWithVoid());
  }

  /** The feed row of a record, or empty (counted) if it is not a readable event. */
  Optional<FeedRow> row(KafkaRecord<String, byte[]> record) {
    EventRecord event;
    OffsetDateTime at;
    try {
      event = EventRecord.read(record.getKey(), name -> header(record, name), record.getPayload());
      at = event.time() == null ? OffsetDateTime.now() : OffsetDateTime.parse(event.time());
    } catch (RuntimeException e) {
      return setAside(record, SetAsideRecords.describe(e));
    }
    return Optional.of(
        new FeedRow(
            event.tenantId(),
            event.id(),
            event.type(),
            event.subject(),
            at,
            event.data().toString()));
  }

  private Optional<FeedRow> setAside(KafkaRecord<String, byte[]> record, String why) {
    setAside.count(Reason.UNREADABLE);
    LOG.warnf(
        "set aside event record %s-%d (not kept in the feed): %s",
        record.getTopic(), record.getPartition(), why);
    return Optional.empty();
  }

  private static byte[] header(KafkaRecord<String, byte[]> record, String name) {
    Header header = record.getHeaders().lastHeader(name);
    return header == null ? null : header.value();
  }
}
