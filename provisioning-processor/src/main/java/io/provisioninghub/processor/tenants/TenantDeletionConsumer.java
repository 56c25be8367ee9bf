package io.provisioninghub.processor.tenants;

import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.TenantPurged;
import io.provisioninghub.contracts.TenantRecordSignature;
import io.provisioninghub.contracts.TenantRecordSignature.Verdict;
import io.provisioninghub.contracts.TenantRecordSignature.Verifier;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.support.consumer.SetAsideRecords.Reason;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Follows {@code tenants.v1} for deletions: a tenant whose snapshot says DELETING has its SCIM data
 * purged ({@link TenantPurger}), and the purge is reported on {@code tenants.purges.v1}, after
 * which the registry deletes the tenant for good. A deletion is purged only if the registry signed
 * its snapshot (ADR 0006): write access to {@code tenants.v1} alone cannot erase a tenant. The
 * record is acknowledged only after the report, so a crash in between purges (what is left) and
 * reports again. Every other snapshot, and tombstones, need nothing here.
 */
@ApplicationScoped
public class TenantDeletionConsumer {

  private static final Logger LOG = Logger.getLogger(TenantDeletionConsumer.class);

  private final TenantPurger purger;
  private final MutinyEmitter<byte[]> reports;
  private final SetAsideRecords setAside;
  private final Optional<Verifier> verifier;

  public TenantDeletionConsumer(
      TenantPurger purger,
      @Channel("tenant-purges") MutinyEmitter<byte[]> reports,
      MeterRegistry registry,
      PurgeConfig config) {
    this.purger = purger;
    this.reports = reports;
    this.setAside = new SetAsideRecords(registry, "tenant-deletions");
    this.verifier =
        TenantRecordSignature.configuredVerifier(
            config.tenantSnapshotPublicKeys().orElse(List.of()),
            LaunchMode.current().isDevOrTest(),
            "phub.processor.purge.tenant-snapshots.public-keys");
    if (verifier.isEmpty()) {
      LOG.warn(
          "phub.processor.purge.tenant-snapshots.public-keys is not set: a tenant deletion is"
              + " purged WITHOUT checking the registry's signature (dev/test mode only)");
    }
  }

  @Incoming("tenants")
  public Uni<Void> consume(KafkaRecord<String, byte[]> record) {
    TenantSnapshot snapshot;
    try {
      snapshot = record.getPayload() == null ? null : ContractJson.tenant(record.getPayload());
    } catch (RuntimeException e) { // ContractFormatException and any other failure to read it
      setAside.count(Reason.UNREADABLE);
      LOG.warnf(
          "set aside unreadable tenant record %s-%d@%d: %s",
          record.getTopic(),
          record.getPartition(),
          record
              .getMetadata(IncomingKafkaRecordMetadata.class)
              .map(IncomingKafkaRecordMetadata::getOffset)
              .orElse(-1L),
          SetAsideRecords.describe(e));
      return Uni.createFrom().completionStage(record.ack());
    }
    if (snapshot == null || snapshot.status() != TenantStatus.DELETING) {
      return Uni.createFrom().completionStage(record.ack());
    }
    if (snapshot.createdAt() == null || snapshot.updatedAt() == null) {
      setAside.count(Reason.UNREADABLE);
      LOG.warnf(
          "set aside the deletion of tenant %s: its snapshot carries no createdAt/updatedAt",
          snapshot.tenantId());
      return Uni.createFrom().completionStage(record.ack());
    }
    if (verifier.isPresent()
        && verifier.get().verify(record.getKey(), record.getPayload(), name -> header(record, name))
            instanceof Verdict.Invalid invalid) {
      // Someone other than the registry wrote to tenants.v1: purge nothing.
      setAside.count(Reason.BAD_SIGNATURE);
      LOG.warnf(
          "set aside the deletion of tenant %s from %s-%d: %s; nothing is purged",
          snapshot.tenantId(), record.getTopic(), record.getPartition(), invalid.why());
      return Uni.createFrom().completionStage(record.ack());
    }
    LOG.infof("tenant %s is being deleted; purging its SCIM data", snapshot.tenantId());
    return purger
        .purge(snapshot.tenantId(), snapshot.createdAt(), snapshot.updatedAt())
        .chain(this::report)
        // The database or broker may be away for a while: keep trying, the deletion waits.
        .onFailure()
        .invoke(
            failure ->
                LOG.warnf(
                    "purging tenant %s failed, retrying: %s",
                    snapshot.tenantId(), SetAsideRecords.describe(failure)))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(500), Duration.ofSeconds(30))
        .indefinitely()
        .chain(() -> Uni.createFrom().completionStage(record.ack()));
  }

  private static byte[] header(KafkaRecord<String, byte[]> record, String name) {
    Header header = record.getHeaders().lastHeader(name);
    return header == null ? null : header.value();
  }

  private Uni<Void> report(TenantPurged purged) {
    return reports.sendMessage(
        Message.of(ContractJson.toBytes(purged))
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(purged.tenantId()).build()));
  }
}
