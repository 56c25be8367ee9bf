package io.provisioninghub.registry.changes;

import java.time.Instant;

/** One change made through the admin API and who made it. */
public record AdminChange(
    long id,
    Instant at,
    String principal,
    String issuer,
    String action,
    String tenantId,
    String target) {}
