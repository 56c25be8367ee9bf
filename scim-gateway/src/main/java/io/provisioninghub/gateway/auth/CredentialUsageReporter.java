package io.provisioninghub.gateway.auth;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.CredentialUsage;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.support.kafka.KafkaClientSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Remembers the latest use of each credential and reports it to {@code tenants.usage.v1} once per
 * interval: the registry's {@code lastUsedAt} is approximate by design, and a request never waits
 * for it. The producer takes its connection and security settings from the shared {@code kafka.*}
 * configuration.
 */
@ApplicationScoped
public class CredentialUsageReporter {

  private static final Logger LOG = Logger.getLogger(CredentialUsageReporter.class);

  private final Map<String, CredentialUsage> pending = new ConcurrentHashMap<>();
  private final Duration interval;
  private final Map<String, Object> kafka;
  private ScheduledExecutorService scheduler;
  private KafkaProducer<String, byte[]> producer;

  public CredentialUsageReporter(
      GatewayConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
    this.interval = config.usageReportInterval();
    this.kafka = kafka;
  }

  /** Called on every authenticated request; only keeps the latest instant per credential. */
  public void used(String tenantId, String credentialId, Instant at) {
    CredentialUsage usage = new CredentialUsage(tenantId, credentialId, at);
    pending.merge(
        usage.kafkaKey(),
        usage,
        (old, now) -> now.lastUsedAt().isAfter(old.lastUsedAt()) ? now : old);
  }

  void onStart(@Observes StartupEvent event) {
    producer =
        new KafkaProducer<>(
            KafkaClientSettings.client(
                kafka,
                Map.of(
                    ProducerConfig.CLIENT_ID_CONFIG, "credential-usage",
                    ProducerConfig.ACKS_CONFIG, "1",
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000)),
            new StringSerializer(),
            new ByteArraySerializer());
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "credential-usage");
              t.setDaemon(true);
              return t;
            });
    long millis = interval.toMillis();
    scheduler.scheduleWithFixedDelay(this::flush, millis, millis, TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (scheduler != null) {
      scheduler.shutdown();
      flush();
      producer.close(Duration.ofSeconds(2));
    }
  }

  private void flush() {
    for (CredentialUsage usage : pending.values()) {
      if (!pending.remove(usage.kafkaKey(), usage)) {
        continue; // a newer use arrived; it goes out with the next flush
      }
      try {
        producer.send(
            new ProducerRecord<>(
                Topics.CREDENTIAL_USAGE, usage.kafkaKey(), ContractJson.toBytes(usage)),
            (metadata, failure) -> {
              if (failure != null) {
                pending.putIfAbsent(usage.kafkaKey(), usage);
              }
            });
      } catch (RuntimeException e) {
        pending.putIfAbsent(usage.kafkaKey(), usage);
        LOG.debugf("credential usage not reported yet: %s", e.toString());
      }
    }
  }
}
