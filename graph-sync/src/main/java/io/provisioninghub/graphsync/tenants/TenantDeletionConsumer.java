package io.provisioninghub.graphsync.tenants;

import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.graphsync.GraphSyncConfig;
import io.provisioninghub.support.tenants.TenantDeletions;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows {@code tenants.v1} (group {@code graph-sync-tenants}): when the registry deletes a tenant
 * (a DELETING snapshot it signed, {@link TenantDeletions}), its Graph sync settings, encrypted
 * credential, rounds and object map are removed ({@link DeletedTenants}), so no round of it runs
 * again. The record is acknowledged once that is committed; the database being away delays it.
 */
@ApplicationScoped
public class TenantDeletionConsumer {

  private final DeletedTenants tenants;
  private final TenantDeletions deletions;

  public TenantDeletionConsumer(
      DeletedTenants tenants, GraphSyncConfig config, MeterRegistry registry) {
    this.tenants = tenants;
    this.deletions =
        new TenantDeletions(
            registry,
            "tenant-deletions",
            config.tenantSnapshotPublicKeys(),
            "phub.graph-sync.tenant-snapshots.public-keys",
            LaunchMode.current().isDevOrTest());
  }

  @Incoming("tenants")
  public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
    return deletions.handleBlocking(
        record, "Graph sync settings, rounds and object map", tenants::remove);
  }
}
