package io.provisioninghub.support.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * {@code phub_kafka_consumer_lag_records{group, topic}}: for every tracked Kafka consumer, the sum
 * over its assigned partitions of the client's own {@code records-lag} metric (log end offset minus
 * position). Refreshed every few seconds off the consumers' threads, once {@link #start() started};
 * only the clients' metrics are read, never the consumers themselves.
 */
public final class KafkaConsumerLag implements AutoCloseable {

  public static final String NAME = "phub.kafka.consumer.lag";
  private static final long REFRESH_SECONDS = 5;

  private record Tracked(String group, Consumer<?, ?> consumer) {}

  private record Key(String group, String topic) {}

  private final MeterRegistry registry;
  private final List<Tracked> consumers = new CopyOnWriteArrayList<>();
  private final Map<Key, AtomicLong> lags = new ConcurrentHashMap<>();
  private final Map<String, String> topicNames = new HashMap<>();
  private ScheduledExecutorService refresher;

  /**
   * @param topics the real names of the topics the service consumes: Kafka also tags its metrics
   *     with the topic's '.' replaced by '_', and the series must carry the real name
   */
  public KafkaConsumerLag(MeterRegistry registry, Collection<String> topics) {
    this.registry = registry;
    for (String topic : topics) {
      topicNames.put(topic.replace('.', '_'), topic);
    }
  }

  /** Includes the consumer's partitions from the next refresh on; a closed consumer is ignored. */
  public void track(Consumer<?, ?> consumer) {
    consumers.add(new Tracked(groupOf(consumer), consumer));
  }

  /** Refreshes every 5 s on a daemon thread until {@link #close()}. */
  public synchronized KafkaConsumerLag start() {
    if (refresher == null) {
      refresher =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "kafka-lag-metrics");
                t.setDaemon(true);
                return t;
              });
      refresher.scheduleWithFixedDelay(
          this::refresh, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
    }
    return this;
  }

  @Override
  public synchronized void close() {
    if (refresher != null) {
      refresher.shutdownNow();
    }
  }

  /** The last refreshed lag of a consumer group over all its topics on this instance. */
  public long lag(String group) {
    return lags.entrySet().stream()
        .filter(e -> e.getKey().group().equals(group))
        .mapToLong(e -> e.getValue().get())
        .sum();
  }

  /**
   * Reads the tracked consumers' metrics and updates the gauges (normally on the refresh thread).
   */
  public void refresh() {
    // Per group, topic and partition: Kafka 4 registers each partition metric twice (topic tag
    // with dots and, deprecated, with underscores), so partitions are de-duplicated before summing.
    Map<Key, Map<String, Double>> partitions = new HashMap<>();
    for (Tracked tracked : consumers) {
      Map<MetricName, ? extends Metric> metrics;
      try {
        metrics = tracked.consumer().metrics();
      } catch (RuntimeException e) {
        continue; // closed
      }
      metrics.forEach(
          (name, metric) -> {
            if (!"records-lag".equals(name.name())
                || !"consumer-fetch-manager-metrics".equals(name.group())
                || !name.tags().containsKey("partition")) {
              return;
            }
            String topic = name.tags().get("topic");
            if (topic != null && metric.metricValue() instanceof Number n) {
              double lag = n.doubleValue();
              if (!Double.isNaN(lag)) {
                partitions
                    .computeIfAbsent(
                        new Key(tracked.group(), topicNames.getOrDefault(topic, topic)),
                        k -> new HashMap<>())
                    .put(
                        System.identityHashCode(tracked.consumer())
                            + "/"
                            + name.tags().get("partition"),
                        lag);
              }
            }
          });
    }
    Map<Key, Double> sums = new HashMap<>();
    partitions.forEach(
        (key, lags) ->
            sums.put(key, lags.values().stream().mapToDouble(Double::doubleValue).sum()));
    lags.forEach((key, value) -> value.set(Math.round(sums.getOrDefault(key, 0.0))));
    sums.forEach((key, lag) -> lags.computeIfAbsent(key, this::register).set(Math.round(lag)));
  }

  private AtomicLong register(Key key) {
    AtomicLong value = new AtomicLong();
    Gauge.builder(NAME, value, AtomicLong::get)
        .description("Records not yet consumed on this instance's partitions")
        .baseUnit("records")
        .tag("group", key.group())
        .tag("topic", key.topic())
        .register(registry);
    return value;
  }

  private static String groupOf(Consumer<?, ?> consumer) {
    try {
      return consumer.groupMetadata().groupId();
    } catch (RuntimeException e) {
      return "none";
    }
  }
}
