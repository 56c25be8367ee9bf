package io.provisioninghub.processor.tenants;

import java.time.OffsetDateTime;

/**
 * A deleted tenant (one life of a tenant id) whose SCIM data is being or has been purged, as a row
 * of {@code scim.tenant_purges}: its commands are refused for good. Written by {@link
 * TenantPurger}, read by {@link DeletedTenants}.
 *
 * @param state PURGING or PURGED
 * @param purgedAt when the purge ended; null while it runs
 */
public record TenantPurge(
    String tenantId, OffsetDateTime tenantCreatedAt, String state, OffsetDateTime purgedAt) {}
