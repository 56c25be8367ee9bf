package io.provisioninghub.processor.tenants;

import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.TenantPurged;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.support.tenants.TenantDeletions;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Follows {@code tenants.v1} for deletions: a tenant whose snapshot says DELETING has its SCIM data
 * purged ({@link TenantPurger}), and the purge is reported on {@code tenants.purges.v1}, after
 * which the registry deletes the tenant for good. A deletion is purged only if the registry signed
 * its snapshot ({@link TenantDeletions}, ADR 0006): write access to {@code tenants.v1} alone cannot
 * erase a tenant. The record is acknowledged only after the report, so a crash in between purges
 * (what is left) and reports again. Every other snapshot, and tombstones, need nothing here.
 */
@ApplicationScoped
public class TenantDeletionConsumer {

  private static final Logger LOG = Logger.getLogger(TenantDeletionConsumer.class);

  private final TenantPurger purger;
  private final MutinyEmitter<byte[]> reports;
  private final TenantDeletions deletions;

  public TenantDeletionConsumer(
      TenantPurger purger,
      @Channel("tenant-purges") MutinyEmitter<byte[]> reports,
      MeterRegistry registry,
      PurgeConfig config) {
    this.purger = purger;
    this.reports = reports;
    this.deletions =
        new TenantDeletions(
            registry,
            "tenant-deletions",
            config.tenantSnapshotPublicKeys(),
            "phub.processor.purge.tenant-snapshots.public-keys",
            LaunchMode.current().isDevOrTest());
  }

  @Incoming("tenants")
  public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
    return deletions.handle(record, this::purge);
  }

  private Uni<Void> purge(TenantSnapshot snapshot) {
    LOG.infof("tenant %s is being deleted; purging its SCIM data", snapshot.tenantId());
    return purger
        .purge(snapshot.tenantId(), snapshot.createdAt(), snapshot.updatedAt())
        .chain(this::report);
  }

  private Uni<Void> report(TenantPurged purged) {
    return reports.sendMessage(
        Message.of(ContractJson.toBytes(purged))
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(purged.tenantId()).build()));
  }
}
