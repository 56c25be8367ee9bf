package io.provisioninghub.contracts;

import java.time.Instant;
import java.util.Objects;

/**
 * The processor removed every SCIM row of a tenant being deleted: published to {@link
 * Topics#TENANT_PURGES} (keyed by tenant id). The registry then deletes the tenant, publishes its
 * tombstone and lets the id be created again.
 *
 * @param tenantId the deleted tenant
 * @param tenantCreatedAt the {@code createdAt} of the deleted tenant: which life of the id was
 *     purged; the registry acts only on the report for the tenant it is deleting
 * @param purgedAt when the last row was removed (the processor's clock)
 * @param rowsDeleted how many rows the purge removed, over all {@code scim} tables
 */
public record TenantPurged(
    String tenantId, Instant tenantCreatedAt, Instant purgedAt, long rowsDeleted) {

  public TenantPurged {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(tenantCreatedAt, "tenantCreatedAt");
    Objects.requireNonNull(purgedAt, "purgedAt");
  }
}
