package io.provisioninghub.gateway.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.ContractFormatException;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.TenantRecordSignature;
import io.provisioninghub.contracts.TenantRecordSignature.Verdict;
import io.provisioninghub.contracts.TenantRecordSignature.Verifier;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.support.consumer.SetAsideRecords.Reason;
import io.provisioninghub.support.kafka.KafkaClientSettings;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Replays {@code tenants.v1} from the beginning at start and then follows it, feeding {@link
 * TenantView}. Every partition is assigned to this instance (no consumer group), so each gateway
 * sees every tenant. Caught up once it has read up to the end offsets observed at start.
 *
 * <p>Only records the tenant registry signed are applied ({@link TenantRecordSignature}, keys from
 * {@link TenantSnapshotsConfig}): a record someone else wrote to the topic, however high its
 * revision, is set aside ({@code reason="bad_signature"}) and the tenant keeps its state. The
 * consumer takes its connection and security settings from the shared {@code kafka.*}
 * configuration.
 */
@ApplicationScoped
public class TenantViewConsumer {

  private static final Logger LOG = Logger.getLogger(TenantViewConsumer.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final TenantView view;
  private final SetAsideRecords setAside;
  private final String topic;
  private final Map<String, Object> kafka;
  private final Optional<Verifier> verifier;
  private volatile boolean running;
  private volatile boolean caughtUp;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private Thread thread;

  public TenantViewConsumer(
      TenantView view,
      GatewayConfig config,
      TenantSnapshotsConfig snapshots,
      MeterRegistry registry,
      @Identifier("default-kafka-broker") Map<String, Object> kafka) {
    this.view = view;
    this.setAside = new SetAsideRecords(registry, "tenant-view");
    this.topic = config.tenantsTopic();
    this.kafka = kafka;
    this.verifier = verifier(snapshots, LaunchMode.current().isDevOrTest());
  }

  /**
   * The configured keys. Without any the gateway refuses to start, except in dev and test mode,
   * where it applies unsigned records (as a registry without a key publishes them there).
   */
  static Optional<Verifier> verifier(TenantSnapshotsConfig config, boolean devOrTest) {
    Optional<Verifier> verifier =
        TenantRecordSignature.configuredVerifier(
            config.publicKeys().orElse(List.of()),
            devOrTest,
            "phub.gateway.tenant-snapshots.public-keys");
    if (verifier.isEmpty()) {
      LOG.warn(
          "phub.gateway.tenant-snapshots.public-keys is not set: tenant records are applied"
              + " WITHOUT checking the registry's signature (dev/test mode only)");
    }
    return verifier;
  }

  void onStart(@Observes StartupEvent event) {
    running = true;
    thread = new Thread(this::run, "tenant-view");
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

  /** True once every record present at start has been applied. */
  public boolean caughtUp() {
    return caughtUp;
  }

  private void run() {
    while (running) {
      try (KafkaConsumer<String, byte[]> c = open()) {
        consumer = c;
        follow(c);
      } catch (WakeupException e) {
        // shutting down
      } catch (RuntimeException | Error e) {
        if (running) {
          LOG.warnf("tenant view consumer failed, reopening in 1 s: %s", e.toString());
          pause();
        }
      }
    }
  }

  private KafkaConsumer<String, byte[]> open() {
    return new KafkaConsumer<>(
        KafkaClientSettings.client(
            kafka,
            Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG,
                "tenant-view-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest")),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }

  private void follow(KafkaConsumer<String, byte[]> c) {
    List<TopicPartition> partitions =
        c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    if (partitions.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " has no partitions (does it exist?)");
    }
    c.assign(partitions);
    c.seekToBeginning(partitions);
    Map<TopicPartition, Long> endAtStart = c.endOffsets(partitions, Duration.ofSeconds(30));
    while (running) {
      for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
        apply(record);
      }
      if (!caughtUp && reached(c, endAtStart)) {
        caughtUp = true;
        view.markLoaded();
        LOG.infof("tenant view caught up: %d tenant(s)", view.size());
      }
    }
  }

  private static boolean reached(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
  }

  /**
   * Applies one record. A record this gateway cannot read or apply, whatever it throws (an {@link
   * Error} such as StackOverflowError included), changes nothing: the tenant keeps its last known
   * state, the record is logged and counted as set aside, and the view goes on with the next one.
   * So does a record without the registry's valid signature, checked before anything is read.
   */
  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      setAside(record, Reason.UNREADABLE, "no key (a tenant record is keyed by its tenant id)");
      return;
    }
    try {
      Optional<Instant> deletedAt = Optional.empty();
      if (verifier.isPresent()) {
        Verdict verdict =
            verifier.get().verify(record.key(), record.value(), name -> header(record, name));
        if (verdict instanceof Verdict.Invalid invalid) {
          setAside(record, Reason.BAD_SIGNATURE, invalid.why());
          return;
        }
        deletedAt = ((Verdict.Valid) verdict).deletedAt();
      }
      if (record.value() == null) {
        Optional<TenantSnapshot> current = view.tenant(record.key());
        if (deletedAt.isPresent()
            && current.isPresent()
            && current.get().updatedAt() != null
            && current.get().updatedAt().isAfter(deletedAt.get())) {
          // A signed tombstone older than the state it would remove: replayed, not a deletion.
          setAside(record, Reason.REFUSED, "tombstone older than the tenant's current snapshot");
          return;
        }
        view.remove(record.key());
        return;
      }
      TenantSnapshot snapshot = ContractJson.tenant(record.value());
      if (!snapshot.tenantId().equals(record.key())) {
        setAside(record, Reason.UNREADABLE, "the record's key is not the snapshot's tenant id");
        return;
      }
      view.apply(snapshot);
    } catch (ContractFormatException e) {
      setAside(record, Reason.UNREADABLE, SetAsideRecords.describe(e));
    } catch (Throwable e) {
      setAside(record, Reason.FAILED, SetAsideRecords.describe(e));
    }
  }

  private static byte[] header(ConsumerRecord<String, byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : h.value();
  }

  private void setAside(ConsumerRecord<String, byte[]> record, Reason reason, String why) {
    setAside.count(reason);
    LOG.warnf(
        "set aside tenant record %s-%d@%d (%s): %s",
        record.topic(), record.partition(), record.offset(), reason.label(), why);
  }

  private static void pause() {
    try {
      Thread.sleep(1_000); // back off before reconnecting to the broker
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
