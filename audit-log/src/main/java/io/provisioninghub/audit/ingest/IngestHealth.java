package io.provisioninghub.audit.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Shows on {@code /q/health} how many unreadable records this instance skipped; their coordinates
 * are in {@code audit.skipped_records}.
 */
@Liveness
@ApplicationScoped
public class IngestHealth implements HealthCheck {

  private final OperationsConsumer consumer;

  public IngestHealth(OperationsConsumer consumer) {
    this.consumer = consumer;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("audit-ingest")
        .up()
        .withData("skippedRecords", consumer.skippedCount())
        .build();
  }
}
