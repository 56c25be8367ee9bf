package io.provisioninghub.samljit.tenants;

import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.samljit.SamlJitConfig;
import io.provisioninghub.support.tenants.TenantDeletions;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows {@code tenants.v1} (group {@code saml-jit-tenants}): when the registry deletes a tenant
 * (a DELETING snapshot it signed, {@link TenantDeletions}), its IdP settings and claim mapping,
 * AuthnRequest ids, replay ids and known users are removed ({@link DeletedTenants}), so its SAML
 * endpoints stop answering for it. The record is acknowledged once that is committed; the database
 * being away delays it.
 */
@ApplicationScoped
public class TenantDeletionConsumer {

  private final DeletedTenants tenants;
  private final TenantDeletions deletions;

  public TenantDeletionConsumer(
      DeletedTenants tenants, SamlJitConfig config, MeterRegistry registry) {
    this.tenants = tenants;
    this.deletions =
        new TenantDeletions(
            registry,
            "tenant-deletions",
            config.tenantSnapshotPublicKeys(),
            "phub.saml-jit.tenant-snapshots.public-keys",
            LaunchMode.current().isDevOrTest());
  }

  @Incoming("tenants")
  public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
    return deletions.handleBlocking(
        record, "IdP settings, AuthnRequest and replay ids and users", tenants::remove);
  }
}
