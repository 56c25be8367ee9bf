package io.provisioninghub.gateway.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The gateway's own part of the metrics contract (docs/metrics.md): the capped per-tenant request
 * counter. The contract's common settings come from service-support's {@code ServiceMetrics}.
 */
@Singleton
public class MetricsSetup {

  @Produces
  @Singleton
  TenantRequestCounter tenantRequests(
      MeterRegistry registry,
      @ConfigProperty(name = "phub.metrics.tenant-label-limit", defaultValue = "1000") int limit) {
    return new TenantRequestCounter(registry, limit);
  }
}
