package io.provisioninghub.processor.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.support.metrics.KafkaConsumerLag;
import io.provisioninghub.support.metrics.MeterFilters;
import io.provisioninghub.support.metrics.ProcessMemoryMetrics;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Registry-wide settings of the metrics contract (docs/metrics.md), from service-support: every
 * meter carries {@code application}, timers publish histogram buckets, and {@code
 * process_resident_memory_bytes} is exposed. The Kafka consumer lag of the messaging connector's
 * consumers is {@code phub_kafka_consumer_lag_records}.
 */
@Singleton
public class MetricsSetup {

  @Produces
  @Singleton
  MeterFilter commonTags(@ConfigProperty(name = "quarkus.application.name") String application) {
    return MeterFilters.commonTags(application);
  }

  @Produces
  @Singleton
  MeterFilter timerHistograms() {
    return MeterFilters.timerHistograms();
  }

  @Produces
  @Singleton
  MeterBinder processMemory() {
    return new ProcessMemoryMetrics();
  }

  @Produces
  @Singleton
  KafkaConsumerLag consumerLag(MeterRegistry registry) {
    return new KafkaConsumerLag(registry, List.of(Topics.COMMANDS)).start();
  }

  void stopConsumerLag(@Disposes KafkaConsumerLag consumerLag) {
    consumerLag.close();
  }

  /** The messaging connector announces every Kafka consumer it creates as a CDI event. */
  void onConsumer(@Observes Consumer<?, ?> consumer, KafkaConsumerLag consumerLag) {
    consumerLag.track(consumer);
  }
}
