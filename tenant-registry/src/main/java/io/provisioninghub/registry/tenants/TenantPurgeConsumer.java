package io.provisioninghub.registry.tenants;

import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.ContractFormatException;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.support.consumer.SetAsideRecords.Reason;
import io.provisioninghub.support.kafka.KafkaClientSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads the processor's purge reports ({@code tenants.purges.v1}) and completes the deletion of
 * each purged tenant ({@link TenantService#completeDeletion}). Offsets are committed only after a
 * report is handled, so a report is never lost; handling one twice is harmless (the second finds no
 * DELETING tenant of that life and is ignored).
 */
@ApplicationScoped
public class TenantPurgeConsumer {

  private static final Logger LOG = Logger.getLogger(TenantPurgeConsumer.class);

  private final TenantService service;
  private final SetAsideRecords setAside;
  private final Map<String, Object> kafka;
  private volatile boolean running;
  private volatile KafkaConsumer<String, byte[]> consumer;

  public TenantPurgeConsumer(
      TenantService service,
      MeterRegistry registry,
      @Identifier("default-kafka-broker") Map<String, Object> kafka) {
    this.service = service;
    this.setAside = new SetAsideRecords(registry, "tenant-purges");
    this.kafka = kafka;
  }

  void onStart(@Observes StartupEvent event) {
    running = true;
    Thread thread = new Thread(this::run, "tenant-purges");
    thread.setDaemon(true);
    thread.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  private void run() {
    while (running) {
      // Connection and security from the shared kafka.* settings; the group is this consumer's own.
      try (KafkaConsumer<String, byte[]> c =
          new KafkaConsumer<>(
              KafkaClientSettings.client(
                  kafka,
                  Map.of(
                      ConsumerConfig.GROUP_ID_CONFIG, "tenant-registry-purges",
                      ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                      ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
              new StringDeserializer(),
              new ByteArrayDeserializer())) {
        consumer = c;
        c.subscribe(List.of(Topics.TENANT_PURGES));
        while (running) {
          var records = c.poll(Duration.ofMillis(500));
          for (ConsumerRecord<String, byte[]> record : records) {
            apply(record);
          }
          if (!records.isEmpty()) {
            c.commitSync();
          }
        }
      } catch (WakeupException e) {
        // shutting down
      } catch (RuntimeException | Error e) {
        if (running) {
          LOG.warnf("tenant purge consumer failed, reopening in 1 s: %s", e.toString());
          pause();
        }
      }
    }
  }

  /** Completes one deletion. An unreadable report is set aside (WARN, counted). */
  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    try {
      service.completeDeletion(ContractJson.tenantPurged(record.value()));
    } catch (ContractFormatException e) {
      setAside.count(Reason.UNREADABLE);
      LOG.warnf(
          "set aside tenant purge report %s-%d@%d: %s",
          record.topic(), record.partition(), record.offset(), SetAsideRecords.describe(e));
    }
    // Anything else (database or broker away while publishing the tombstone) is not the report's
    // fault: it propagates, and the report is read again.
  }

  private static void pause() {
    try {
      Thread.sleep(1_000); // back off before reconnecting to the broker
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
