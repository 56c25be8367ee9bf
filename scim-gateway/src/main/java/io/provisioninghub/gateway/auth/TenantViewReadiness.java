package io.provisioninghub.gateway.auth;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the tenant view has replayed {@code tenants.v1} up to where it was at start. */
@Readiness
@ApplicationScoped
public class TenantViewReadiness implements HealthCheck {

  private final TenantViewConsumer consumer;
  private final TenantView view;

  public TenantViewReadiness(TenantViewConsumer consumer, TenantView view) {
    this.consumer = consumer;
    this.view = view;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("tenant-view")
        .status(consumer.caughtUp())
        .withData("tenants", view.size())
        .build();
  }
}
