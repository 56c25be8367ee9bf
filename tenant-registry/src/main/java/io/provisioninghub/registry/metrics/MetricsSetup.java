package io.provisioninghub.registry.metrics;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import io.provisioninghub.support.metrics.MeterFilters;
import io.provisioninghub.support.metrics.ProcessMemoryMetrics;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Registry-wide settings of the metrics contract (docs/metrics.md), from service-support: every
 * meter carries {@code application}, timers publish histogram buckets, and {@code
 * process_resident_memory_bytes} is exposed.
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
}
