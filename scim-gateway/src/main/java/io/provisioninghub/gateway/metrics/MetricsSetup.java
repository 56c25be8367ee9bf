package io.provisioninghub.gateway.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Registry-wide settings of the metrics contract (docs/metrics.md): every meter carries {@code
 * application}, and the service's timers publish histogram buckets so latency quantiles can be
 * computed across instances.
 */
@Singleton
public class MetricsSetup {

  @Produces
  @Singleton
  MeterFilter commonTags(@ConfigProperty(name = "quarkus.application.name") String application) {
    return MeterFilter.commonTags(Tags.of("application", application));
  }

  @Produces
  @Singleton
  TenantRequestCounter tenantRequests(
      MeterRegistry registry,
      @ConfigProperty(name = "phub.metrics.tenant-label-limit", defaultValue = "1000") int limit) {
    return new TenantRequestCounter(registry, limit);
  }

  @Produces
  @Singleton
  MeterFilter timerHistograms() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() == Meter.Type.TIMER
            && (id.getName().startsWith("phub.") || id.getName().equals("http.server.requests"))) {
          return DistributionStatisticConfig.builder()
              .percentilesHistogram(true)
              .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
              .maximumExpectedValue((double) Duration.ofSeconds(60).toNanos())
              .build()
              .merge(config);
        }
        return config;
      }
    };
  }
}
