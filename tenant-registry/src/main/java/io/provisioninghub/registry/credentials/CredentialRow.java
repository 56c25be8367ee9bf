package io.provisioninghub.registry.credentials;

import io.provisioninghub.contracts.TenantSnapshot.CredentialState;
import io.provisioninghub.contracts.TenantSnapshot.CredentialStatus;
import java.time.Instant;

/** A credential as stored in {@code tenant_registry.credentials}: its hash, never its secret. */
public record CredentialRow(
    String id,
    String tenantId,
    String sha256,
    CredentialStatus status,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt,
    Instant lastUsedAt) {

  public CredentialState state() {
    return new CredentialState(id, sha256, status, createdAt, expiresAt);
  }
}
