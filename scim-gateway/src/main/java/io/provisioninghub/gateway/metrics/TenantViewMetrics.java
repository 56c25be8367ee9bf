package io.provisioninghub.gateway.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.provisioninghub.gateway.auth.TenantView;
import jakarta.inject.Singleton;

/** {@code phub_gateway_tenants_known}: tenants in this gateway's view of {@code tenants.v1}. */
@Singleton
public class TenantViewMetrics implements MeterBinder {

  private final TenantView view;

  public TenantViewMetrics(TenantView view) {
    this.view = view;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("phub.gateway.tenants.known", view, TenantView::size)
        .description("Tenants in this gateway's in-memory view of tenants.v1")
        .register(registry);
  }
}
