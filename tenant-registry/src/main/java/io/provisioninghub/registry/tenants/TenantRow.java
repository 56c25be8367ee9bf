package io.provisioninghub.registry.tenants;

import io.provisioninghub.contracts.PasswordPolicy;
import io.provisioninghub.contracts.TenantSnapshot.OAuthTrust;
import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import java.time.Instant;

/** A tenant as stored in {@code tenant_registry.tenants}. */
public record TenantRow(
    String id,
    String displayName,
    String idpTenantId,
    TenantStatus status,
    RateLimit rateLimit,
    OAuthTrust oauthTrust,
    long revision,
    Instant createdAt,
    Instant updatedAt,
    PasswordPolicy passwordPolicy) {}
