package io.provisioninghub.webhooks.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.events.EventRecord;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.support.consumer.SetAsideRecords.Reason;
import io.provisioninghub.webhooks.Db;
import io.provisioninghub.webhooks.endpoints.Endpoint;
import io.provisioninghub.webhooks.endpoints.EndpointCache;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Turns each event of {@code provisioning.events.v1} into one delivery per endpoint that wants it
 * (its tenant, or every tenant; its event types), stored before the batch's offsets are committed:
 * at least once, and a redelivered event is dropped by (endpoint, event id). The body is the
 * CloudEvent in structured JSON mode. A record that is not an event of ours is set aside.
 */
@ApplicationScoped
public class EventConsumer {

  private static final Logger LOG = Logger.getLogger(EventConsumer.class);

  private final Db db;
  private final EndpointCache endpoints;
  private final Dispatcher dispatcher;
  private final SetAsideRecords setAside;

  public EventConsumer(
      Db db, EndpointCache endpoints, Dispatcher dispatcher, MeterRegistry registry) {
    this.db = db;
    this.endpoints = endpoints;
    this.dispatcher = dispatcher;
    this.setAside = new SetAsideRecords(registry, "webhooks");
  }

  /** An event ready to be owed to endpoints. */
  record Event(String id, String type, String tenant, String resourceKey, String body) {}

  @Incoming("events")
  @Blocking
  public CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
    // Most events are wanted by no endpoint: those are decided from the key and ce_type header,
    // without reading the body, a transaction or a wake of the dispatcher (docs/benchmarks.md).
    List<Endpoint> targets = endpoints.enabled();
    List<Owed> owed = new ArrayList<>();
    for (KafkaRecord<String, byte[]> record : batch) {
      List<Endpoint> wanting = wanting(targets, record.getKey(), header(record, "ce_type"));
      if (wanting.isEmpty()) {
        continue;
      }
      Event event = event(record);
      if (event != null) {
        owed.add(new Owed(event, wanting));
      }
    }
    if (!owed.isEmpty()) {
      store(owed);
      dispatcher.wake();
    }
    return batch.ack();
  }

  /**
   * The endpoints that want this record's event, by the tenant of its key and its {@code ce_type};
   * a record without them is read (and set aside) only if an endpoint of every tenant and type
   * might want it.
   */
  static List<Endpoint> wanting(List<Endpoint> targets, String key, byte[] type) {
    if (targets.isEmpty()) {
      return List.of();
    }
    String tenant = EventRecord.tenantOf(key);
    String eventType = type == null ? null : new String(type, StandardCharsets.UTF_8);
    List<Endpoint> wanting = new ArrayList<>(1);
    for (Endpoint endpoint : targets) {
      if (tenant == null || eventType == null
          ? endpoint.enabled()
          : endpoint.wants(tenant, eventType)) {
        wanting.add(endpoint);
      }
    }
    return wanting;
  }

  /** An event and the endpoints it is owed to. */
  record Owed(Event event, List<Endpoint> endpoints) {}

  /**
   * Stores the deliveries, retrying a database that is away: the batch is not acked before. A value
   * the database refuses for good (a NUL in a header) makes the batch go in event by event, and
   * that event is set aside: one bad record never stops the consumer.
   */
  private void store(List<Owed> events) {
    Duration wait = Duration.ofMillis(200);
    while (true) {
      try {
        insert(events);
        return;
      } catch (RuntimeException e) {
        if (refused(e)) {
          for (Owed event : events) {
            try {
              insert(List.of(event));
            } catch (RuntimeException one) {
              if (!refused(one)) {
                throw one;
              }
              setAside.count(Reason.REFUSED);
              LOG.warnf(
                  "set aside event record (no webhook owed): the database refuses it: %s",
                  SetAsideRecords.describe(one));
            }
          }
          return;
        }
        LOG.warnf("storing deliveries failed, retrying in %s: %s", wait, e.toString());
        try {
          Thread.sleep(wait.toMillis()); // the consumer's own thread: the batch waits, nothing lost
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        wait =
            wait.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                ? Duration.ofSeconds(10)
                : wait.multipliedBy(2);
      }
    }
  }

  /**
   * Whether PostgreSQL refused a value for good: data exceptions (22), constraints (23), limits
   * (54).
   */
  static boolean refused(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException sql) {
        // A batch reports the statement's own failure as its next exception.
        String state =
            sql.getNextException() != null && sql.getNextException().getSQLState() != null
                ? sql.getNextException().getSQLState()
                : sql.getSQLState();
        if (state != null) {
          return state.startsWith("22") || state.startsWith("23") || state.startsWith("54");
        }
      }
    }
    return false;
  }

  private void insert(List<Owed> events) {
    int owed =
        db.inTransaction(
            c -> {
              int n = 0;
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "insert into webhooks.deliveries (endpoint_id, event_id, event_type,"
                          + " tenant_id, resource_key, body) values (?, ?, ?, ?, ?, ?)"
                          + " on conflict (endpoint_id, event_id) do nothing")) {
                for (Owed owedEvent : events) {
                  Event e = owedEvent.event();
                  // Chosen from the same key and ce_type the event was read from (wanting).
                  for (Endpoint endpoint : owedEvent.endpoints()) {
                    ps.setObject(1, endpoint.id());
                    ps.setString(2, e.id());
                    ps.setString(3, e.type());
                    ps.setString(4, e.tenant());
                    ps.setString(5, e.resourceKey());
                    ps.setString(6, e.body());
                    ps.addBatch();
                    n++;
                  }
                }
                if (n > 0) {
                  ps.executeBatch();
                }
              }
              return n;
            });
    if (owed > 0) {
      LOG.debugf("%d deliveries owed for %d events", owed, events.size());
    }
  }

  Event event(KafkaRecord<String, byte[]> record) {
    EventRecord event;
    try {
      event = EventRecord.read(record.getKey(), name -> header(record, name), record.getPayload());
    } catch (RuntimeException e) {
      return setAside(record, SetAsideRecords.describe(e));
    }
    ObjectNode body = ContractJson.mapper().createObjectNode();
    body.put("specversion", "1.0");
    body.put("id", event.id());
    body.put("type", event.type());
    body.put("source", event.source());
    body.put("subject", event.subject());
    if (event.time() != null) {
      body.put("time", event.time());
    }
    body.put("datacontenttype", "application/json");
    body.set("data", event.data());
    return new Event(
        event.id(), event.type(), event.tenantId(), event.resourceKey(), body.toString());
  }

  private Event setAside(KafkaRecord<String, byte[]> record, String why) {
    setAside.count(Reason.UNREADABLE);
    LOG.warnf(
        "set aside event record %s-%d (no webhook owed): %s",
        record.getTopic(), record.getPartition(), why);
    return null;
  }

  private static byte[] header(KafkaRecord<String, byte[]> record, String name) {
    Header header = record.getHeaders().lastHeader(name);
    return header == null ? null : header.value();
  }
}
