package io.provisioninghub.registry.publish;

import io.provisioninghub.registry.RegistryConfig;
import io.provisioninghub.support.kafka.KafkaClientSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Readiness of what the registry publishes with: every tenant change is published to {@code
 * tenants.v1} before it commits, so a registry that cannot reach the broker refuses every change
 * (503) and must not get traffic. Every {@link #EVERY} a thread of its own asks the broker for the
 * topic (a metadata round trip with the registry's own login, bounded by {@link #TIMEOUT}); the
 * probe reads the last answer and never waits on the broker. DOWN until the first answer, and once
 * no answer came for {@link #STALE}.
 */
@Readiness
@ApplicationScoped
public class PublisherReadiness implements HealthCheck {

  private static final Logger LOG = Logger.getLogger(PublisherReadiness.class);

  static final Duration EVERY = Duration.ofSeconds(5);
  static final Duration TIMEOUT = Duration.ofSeconds(3);
  static final Duration STALE = Duration.ofSeconds(15);

  private final String topic;
  private final Admin admin;
  private final ScheduledExecutorService checker;
  private volatile Instant lastReached;
  private volatile String lastError = "not checked yet";

  @Inject
  public PublisherReadiness(
      RegistryConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
    this(config.topic(), kafka);
  }

  PublisherReadiness(String topic, Map<String, Object> kafka) {
    this.topic = topic;
    this.admin =
        Admin.create(
            KafkaClientSettings.client(
                kafka,
                Map.of(
                    AdminClientConfig.CLIENT_ID_CONFIG, "tenant-registry-readiness",
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis())));
    this.checker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "publisher-readiness");
              t.setDaemon(true);
              return t;
            });
    checker.scheduleWithFixedDelay(this::check, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  void check() {
    try {
      admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      lastReached = Instant.now();
      lastError = null;
    } catch (Exception e) {
      String error = e.getCause() != null ? e.getCause().toString() : e.toString();
      if (lastError == null) {
        LOG.warnf("the broker does not answer for %s: %s", topic, error);
      }
      lastError = error;
    }
  }

  @Override
  public HealthCheckResponse call() {
    Instant reached = lastReached;
    boolean up = reached != null && reached.isAfter(Instant.now().minus(STALE));
    var response =
        HealthCheckResponse.named("tenant snapshots publisher (Kafka)")
            .status(up)
            .withData("topic", topic);
    if (reached != null) {
      response = response.withData("lastReached", reached.toString());
    }
    String error = lastError;
    if (!up && error != null) {
      response = response.withData("error", error);
    }
    return response.build();
  }

  void onStop(@Observes ShutdownEvent event) {
    close();
  }

  void close() {
    checker.shutdownNow();
    admin.close(Duration.ofSeconds(2));
  }
}
