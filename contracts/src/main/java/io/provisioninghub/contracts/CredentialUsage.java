package io.provisioninghub.contracts;

import java.time.Instant;
import java.util.Objects;

/**
 * A gateway saw a credential in use: published to {@link Topics#CREDENTIAL_USAGE} (compacted, keyed
 * {@code tenantId/credentialId}) at most once per reporting interval, so the registry can show an
 * approximate last use without a call per request.
 *
 * @param tenantId the credential's tenant
 * @param credentialId the credential's id (never the secret or its hash)
 * @param lastUsedAt the latest authenticated request with it that this gateway saw
 */
public record CredentialUsage(String tenantId, String credentialId, Instant lastUsedAt) {

  public CredentialUsage {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(credentialId, "credentialId");
    Objects.requireNonNull(lastUsedAt, "lastUsedAt");
  }

  public String kafkaKey() {
    return tenantId + "/" + credentialId;
  }
}
