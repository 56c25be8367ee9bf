package io.provisioninghub.support.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A hand-built consumer of one topic in a consumer group of its own, on a thread of its own, for a
 * service without SmallRye messaging: connection and security from the shared {@code kafka.*}
 * settings ({@link KafkaClientSettings}), offsets committed after each poll's records were handled
 * (at least once). A handler that throws is not the record's fault (it sets aside bad records
 * itself): the consumer is closed without committing and reopened after a second, so the records
 * are read again.
 */
public final class GroupConsumerLoop {

  private static final System.Logger LOG = System.getLogger(GroupConsumerLoop.class.getName());

  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration REOPEN_AFTER = Duration.ofSeconds(1);

  private final String name;
  private final java.util.Properties settings;
  private final String topic;
  private final Consumer<ConsumerRecord<String, byte[]>> handler;
  private final MeterRegistry registry;
  private volatile boolean running;
  private volatile KafkaConsumer<String, byte[]> consumer;

  /**
   * @param name the thread's name and the log's
   * @param kafka the service's shared {@code kafka.*} settings
   * @param group the consumer group (granted to the service's principal by the ACL matrix)
   */
  public GroupConsumerLoop(
      String name,
      Map<String, Object> kafka,
      String group,
      String topic,
      Consumer<ConsumerRecord<String, byte[]>> handler) {
    this(name, kafka, group, topic, handler, null);
  }

  /**
   * As above, with the consumer's Kafka client metrics ({@code kafka_consumer_*}) bound to {@code
   * registry} while it is open, like the messaging connector's consumers.
   */
  public GroupConsumerLoop(
      String name,
      Map<String, Object> kafka,
      String group,
      String topic,
      Consumer<ConsumerRecord<String, byte[]>> handler,
      MeterRegistry registry) {
    this.registry = registry;
    this.name = name;
    this.settings =
        KafkaClientSettings.client(
            kafka,
            Map.of(
                ConsumerConfig.GROUP_ID_CONFIG,
                group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false));
    this.topic = topic;
    this.handler = handler;
  }

  public void start() {
    running = true;
    Thread thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  public void stop() {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  private void run() {
    while (running) {
      try (KafkaConsumer<String, byte[]> c =
              new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
          KafkaClientMetrics metrics = bind(c)) {
        consumer = c;
        c.subscribe(List.of(topic));
        while (running) {
          ConsumerRecords<String, byte[]> records = c.poll(POLL);
          records.forEach(handler);
          if (!records.isEmpty()) {
            c.commitSync();
          }
        }
      } catch (WakeupException e) {
        // shutting down
      } catch (RuntimeException | Error e) {
        if (running) {
          LOG.log(
              System.Logger.Level.WARNING,
              "{0} consumer failed, reopening in {1}: {2}",
              name,
              REOPEN_AFTER,
              e.toString());
          backOff();
        }
      }
    }
  }

  /** The client's metrics bound to the registry, unbound when closed; none without a registry. */
  private KafkaClientMetrics bind(KafkaConsumer<String, byte[]> c) {
    if (registry == null) {
      return null;
    }
    KafkaClientMetrics metrics = new KafkaClientMetrics(c);
    metrics.bindTo(registry);
    return metrics;
  }

  private static void backOff() {
    try {
      Thread.sleep(REOPEN_AFTER.toMillis()); // before reconnecting to the broker or database
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
