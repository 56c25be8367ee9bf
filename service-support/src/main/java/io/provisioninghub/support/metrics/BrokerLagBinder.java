package io.provisioninghub.support.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;

/**
 * Starts a {@link BrokerConsumerLag} for the service's consumer groups and dead-letter topics when
 * the registry is bound, and stops it with the service. Neither: nothing is started and no admin
 * client is made.
 */
public final class BrokerLagBinder implements MeterBinder, AutoCloseable {

  private final Map<String, List<String>> groups;
  private final Map<String, List<String>> deadLetters;
  private final Supplier<Properties> adminSettings;
  private final Duration every;
  private BrokerConsumerLag lag;

  /**
   * @param groups each consumer group of the service and the topics it consumes
   * @param deadLetters for each group that marks handled dead letters, the dead-letter topics whose
   *     backlog the service reports
   * @param adminSettings the admin client's settings (the service's shared Kafka settings)
   * @param every how often the broker is asked
   */
  public BrokerLagBinder(
      Map<String, List<String>> groups,
      Map<String, List<String>> deadLetters,
      Supplier<Properties> adminSettings,
      Duration every) {
    this.groups = groups;
    this.deadLetters = deadLetters;
    this.adminSettings = adminSettings;
    this.every = every;
  }

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    if ((groups.isEmpty() && deadLetters.isEmpty()) || lag != null) {
      return;
    }
    Properties settings = adminSettings.get();
    settings.putIfAbsent("client.id", "phub-group-lag");
    lag =
        new BrokerConsumerLag(
                registry, Admin.create(settings), groups, deadLetters, every.multipliedBy(2))
            .start(every);
  }

  @Override
  public synchronized void close() {
    if (lag != null) {
      lag.close();
    }
  }
}
