package io.provisioninghub.support.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class KafkaConsumerLagTest {

  private final Map<MetricName, Metric> metrics = new HashMap<>();

  private final MockConsumer<String, byte[]> consumer =
      new MockConsumer<>("earliest") {
        @Override
        public synchronized Map<MetricName, ? extends Metric> metrics() {
          return metrics;
        }

        @Override
        public ConsumerGroupMetadata groupMetadata() {
          return new ConsumerGroupMetadata("provisioning-processor");
        }
      };

  @Test
  void sumsPartitionLagsPerGroupAndTopicCountingEachPartitionOnce() {
    // Kafka 4 registers each partition's records-lag under the dotted and the underscored topic.
    lag("scim.commands.v1", "0", 5);
    lag("scim_commands_v1", "0", 5);
    lag("scim.commands.v1", "1", 7);
    lag("scim_commands_v1", "1", 7);
    lag("scim.commands.v1", "2", Double.NaN); // not fetched yet
    metrics.put(
        new MetricName("records-lag-max", "consumer-fetch-manager-metrics", "", Map.of()),
        metric(100));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    KafkaConsumerLag lag = new KafkaConsumerLag(registry, List.of("scim.commands.v1"));
    lag.track(consumer);

    lag.refresh();

    assertThat(
            registry
                .get(KafkaConsumerLag.NAME)
                .tag("group", "provisioning-processor")
                .tag("topic", "scim.commands.v1")
                .gauge()
                .value())
        .isEqualTo(12);
    assertThat(registry.find(KafkaConsumerLag.NAME).gauges()).hasSize(1);

    assertThat(lag.lag("provisioning-processor")).isEqualTo(12);
    assertThat(lag.lag("audit-log")).isZero();

    metrics.clear();
    lag.refresh();
    assertThat(registry.get(KafkaConsumerLag.NAME).gauge().value()).isZero();
    assertThat(lag.lag("provisioning-processor")).isZero();
  }

  @Test
  void namesTheRealTopicWhenTheClientTagsOnlyTheUnderscoredForm() {
    lag("scim_outcomes_v1", "0", 3);
    lag("scim_commands_v1", "0", 4);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    KafkaConsumerLag lag =
        new KafkaConsumerLag(registry, List.of("scim.commands.v1", "scim.outcomes.v1"));
    lag.track(consumer);

    lag.refresh();

    assertThat(registry.find(KafkaConsumerLag.NAME).gauges())
        .extracting(g -> g.getId().getTag("topic"))
        .containsExactlyInAnyOrder("scim.commands.v1", "scim.outcomes.v1");
    assertThat(registry.get(KafkaConsumerLag.NAME).tag("topic", "scim.outcomes.v1").gauge().value())
        .isEqualTo(3);
  }

  @Test
  void sumsOverEveryTrackedConsumerOfAGroupAndIgnoresClosedOnes() {
    lag("scim.commands.v1", "0", 5);
    Map<MetricName, Metric> otherMetrics = new HashMap<>();
    otherMetrics.put(
        new MetricName(
            "records-lag",
            "consumer-fetch-manager-metrics",
            "",
            Map.of("client-id", "d", "topic", "scim.commands.v1", "partition", "1")),
        metric(2));
    MockConsumer<String, byte[]> second =
        new MockConsumer<>("earliest") {
          @Override
          public synchronized Map<MetricName, ? extends Metric> metrics() {
            return otherMetrics;
          }

          @Override
          public ConsumerGroupMetadata groupMetadata() {
            return new ConsumerGroupMetadata("provisioning-processor");
          }
        };
    MockConsumer<String, byte[]> closed =
        new MockConsumer<>("earliest") {
          @Override
          public synchronized Map<MetricName, ? extends Metric> metrics() {
            throw new IllegalStateException("This consumer has already been closed.");
          }
        };
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    KafkaConsumerLag lag = new KafkaConsumerLag(registry, List.of("scim.commands.v1"));
    lag.track(consumer);
    lag.track(second);
    lag.track(closed);

    lag.refresh();

    assertThat(registry.get(KafkaConsumerLag.NAME).gauge().value()).isEqualTo(7);
    assertThat(registry.find(KafkaConsumerLag.NAME).gauges()).hasSize(1);
  }

  private void lag(String topic, String partition, double value) {
    metrics.put(
        new MetricName(
            "records-lag",
            "consumer-fetch-manager-metrics",
            "",
            Map.of("client-id", "c", "topic", topic, "partition", partition)),
        metric(value));
  }

  private static Metric metric(double value) {
    return new Metric() {
      @Override
      public MetricName metricName() {
        return null;
      }

      @Override
      public Object metricValue() {
        return value;
      }
    };
  }
}
