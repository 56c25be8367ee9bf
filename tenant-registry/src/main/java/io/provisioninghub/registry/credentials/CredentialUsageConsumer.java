package io.provisioninghub.registry.credentials;

import io.provisioninghub.contracts.ContractFormatException;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.CredentialUsage;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.registry.Db;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Applies the gateways' reports of credential use to {@code last_used_at} (only ever moving it
 * forward). Approximate by design; a lost report only makes lastUsedAt older.
 */
@ApplicationScoped
public class CredentialUsageConsumer {

  private static final Logger LOG = Logger.getLogger(CredentialUsageConsumer.class);

  private final Db db;
  private final String bootstrapServers;
  private volatile boolean running;
  private volatile KafkaConsumer<String, byte[]> consumer;

  public CredentialUsageConsumer(
      Db db, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    this.db = db;
    this.bootstrapServers = bootstrapServers;
  }

  void onStart(@Observes StartupEvent event) {
    running = true;
    Thread thread = new Thread(this::run, "credential-usage");
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
      Properties props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      props.put(ConsumerConfig.GROUP_ID_CONFIG, "tenant-registry-usage");
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      try (KafkaConsumer<String, byte[]> c =
          new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
        consumer = c;
        c.subscribe(List.of(Topics.CREDENTIAL_USAGE));
        while (running) {
          for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
            apply(record);
          }
        }
      } catch (WakeupException e) {
        // shutting down
      } catch (RuntimeException e) {
        if (running) {
          LOG.warnf("credential usage consumer failed, reopening in 1 s: %s", e.toString());
          pause();
        }
      }
    }
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    CredentialUsage usage;
    try {
      usage = ContractJson.usage(record.value());
    } catch (ContractFormatException e) {
      LOG.warnf("unreadable credential usage at offset %d: %s", record.offset(), e.getMessage());
      return;
    }
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "update credentials set last_used_at = greatest(coalesce(last_used_at, ?), ?)"
                      + " where id = ? and tenant_id = ?")) {
            Timestamp at = Timestamp.from(usage.lastUsedAt());
            ps.setTimestamp(1, at);
            ps.setTimestamp(2, at);
            ps.setString(3, usage.credentialId());
            ps.setString(4, usage.tenantId());
            return ps.executeUpdate();
          }
        });
  }

  private static void pause() {
    try {
      Thread.sleep(1_000); // back off before reconnecting to the broker
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
