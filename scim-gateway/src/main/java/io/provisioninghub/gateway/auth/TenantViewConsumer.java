package io.provisioninghub.gateway.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.ContractFormatException;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.support.consumer.SetAsideRecords.Reason;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Replays {@code tenants.v1} from the beginning at start and then follows it, feeding {@link
 * TenantView}. Every partition is assigned to this instance (no consumer group), so each gateway
 * sees every tenant. Caught up once it has read up to the end offsets observed at start.
 */
@ApplicationScoped
public class TenantViewConsumer {

  private static final Logger LOG = Logger.getLogger(TenantViewConsumer.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final TenantView view;
  private final SetAsideRecords setAside;
  private final String topic;
  private final String bootstrapServers;
  private volatile boolean running;
  private volatile boolean caughtUp;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private Thread thread;

  public TenantViewConsumer(
      TenantView view,
      GatewayConfig config,
      MeterRegistry registry,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    this.view = view;
    this.setAside = new SetAsideRecords(registry, "tenant-view");
    this.topic = config.tenantsTopic();
    this.bootstrapServers = bootstrapServers;
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
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tenant-view-" + UUID.randomUUID());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
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
   */
  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      setAside(record, Reason.UNREADABLE, "no key (a tenant record is keyed by its tenant id)");
      return;
    }
    try {
      if (record.value() == null) {
        view.remove(record.key());
        return;
      }
      view.apply(ContractJson.tenant(record.value()));
    } catch (ContractFormatException e) {
      setAside(record, Reason.UNREADABLE, SetAsideRecords.describe(e));
    } catch (Throwable e) {
      setAside(record, Reason.FAILED, SetAsideRecords.describe(e));
    }
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
