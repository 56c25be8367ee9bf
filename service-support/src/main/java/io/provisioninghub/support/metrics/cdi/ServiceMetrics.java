package io.provisioninghub.support.metrics.cdi;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import io.provisioninghub.support.metrics.BrokerLagBinder;
import io.provisioninghub.support.metrics.KafkaConsumerLag;
import io.provisioninghub.support.metrics.MeterFilters;
import io.provisioninghub.support.metrics.ProcessMemoryMetrics;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The metrics contract (docs/metrics.md) for every service that has this module on its class path
 * (a bean archive): every meter carries {@code application}, timers publish histogram buckets,
 * {@code process_resident_memory_bytes} is exposed, and the lag of the messaging connector's Kafka
 * consumers on the topics named by {@code phub.metrics.lag-topics} is {@code
 * phub_kafka_consumer_lag_records}. Only CDI and MicroProfile Config annotations: no framework.
 */
@Singleton
public class ServiceMetrics {

  @Produces
  @Singleton
  MeterFilter commonTags(@ConfigProperty(name = "quarkus.application.name") String application) {
    return MeterFilters.commonTags(application);
  }

  /**
   * Histogram buckets on the {@code phub.*} timers, and on {@code http.server.requests} unless
   * {@code phub.metrics.http-server-histograms} is false (the gateway, whose SCIM requests {@code
   * phub.scim.requests} already times).
   */
  @Produces
  @Singleton
  MeterFilter timerHistograms(
      @ConfigProperty(name = "phub.metrics.http-server-histograms", defaultValue = "true")
          boolean httpServer) {
    return MeterFilters.timerHistograms(httpServer);
  }

  @Produces
  @Singleton
  MeterFilter uriTemplates() {
    return MeterFilters.uriTemplates();
  }

  @Produces
  @Singleton
  MeterFilter kafkaTopicsOnce() {
    return MeterFilters.kafkaTopicsOnce();
  }

  @Produces
  @Singleton
  MeterBinder processMemory() {
    return new ProcessMemoryMetrics();
  }

  /**
   * Broker-side lag and members of the service's consumer groups ({@link BrokerConsumerLag}), named
   * as {@code phub.metrics.consumer-groups.<group>=<topic>,<topic>}, and the backlog of dead-letter
   * topics against the group that marks them handled, {@code
   * phub.metrics.dead-letters.<group>=<topic>}; asked every {@code
   * phub.metrics.consumer-groups-every} (15 s) with the service's own Kafka settings ({@code
   * kafka.*}: bootstrap servers, SASL), so it reads only groups and topics the service's ACLs
   * already cover.
   */
  @Produces
  @Singleton
  BrokerLagBinder brokerLag(Config config) {
    Map<String, List<String>> groups = topicsByGroup(config, "phub.metrics.consumer-groups.");
    Map<String, List<String>> deadLetters = topicsByGroup(config, "phub.metrics.dead-letters.");
    Duration every =
        config
            .getOptionalValue("phub.metrics.consumer-groups-every", String.class)
            .map(Duration::parse)
            .orElse(Duration.ofSeconds(15));
    return new BrokerLagBinder(
        groups,
        deadLetters,
        () -> {
          Properties settings = new Properties();
          for (String key : AdminClientConfig.configNames()) {
            config
                .getOptionalValue("kafka." + key, String.class)
                .ifPresent(value -> settings.put(key, value));
          }
          return settings;
        },
        every);
  }

  private static Map<String, List<String>> topicsByGroup(Config config, String prefix) {
    Map<String, List<String>> groups = new TreeMap<>();
    for (String name : config.getPropertyNames()) {
      if (name.startsWith(prefix)) {
        String group = name.substring(prefix.length()).replace("\"", "");
        config
            .getOptionalValues(name, String.class)
            .ifPresent(topics -> groups.put(group, List.copyOf(topics)));
      }
    }
    return groups;
  }

  void stopBrokerLag(@Disposes BrokerLagBinder binder) {
    binder.close();
  }

  @Produces
  @Singleton
  KafkaConsumerLag consumerLag(
      MeterRegistry registry,
      @ConfigProperty(name = "phub.metrics.lag-topics") Optional<List<String>> topics) {
    return new KafkaConsumerLag(registry, topics.orElse(List.of())).start();
  }

  void stopConsumerLag(@Disposes KafkaConsumerLag consumerLag) {
    consumerLag.close();
  }

  /**
   * The messaging connector announces every Kafka consumer it creates as a CDI event. A service
   * that names no lag topics never creates the lag meter.
   */
  void onConsumer(
      @Observes Consumer<?, ?> consumer,
      @ConfigProperty(name = "phub.metrics.lag-topics") Optional<List<String>> topics,
      Provider<KafkaConsumerLag> consumerLag) {
    if (topics.isPresent() && !topics.get().isEmpty()) {
      consumerLag.get().track(consumer);
    }
  }
}
