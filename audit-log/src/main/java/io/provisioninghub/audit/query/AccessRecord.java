package io.provisioninghub.audit.query;

import java.time.Instant;

/** One support API access: who read which tenant's data, how, when, and whether it was allowed. */
public record AccessRecord(
    long id,
    Instant at,
    String subject,
    String issuer,
    String tenantId,
    String action,
    String query,
    boolean allowed) {}
