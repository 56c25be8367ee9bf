package io.provisioninghub.registry.setup;

import java.time.Instant;
import java.util.UUID;

/**
 * A setup link as stored in {@code tenant_registry.setup_links}, never its secret or hash. {@code
 * status} is decided by the database's clock when the row is read: {@code redeemed}, {@code
 * revoked}, {@code expired} or {@code active}, in that order.
 */
public record SetupLinkRow(
    UUID id,
    String tenantId,
    String status,
    Instant createdAt,
    String createdBy,
    Instant expiresAt,
    Instant redeemedAt,
    Instant revokedAt) {}
