package io.provisioninghub.registry.signin;

import io.provisioninghub.registry.signin.ConsoleSignInApi.RequiredClaim;
import java.time.Instant;

/** A row of {@code tenant_registry.console_sign_in}; the secret only sealed. */
public record ConsoleSignInRow(
    String tenantId,
    String issuer,
    String clientId,
    byte[] clientSecretSealed,
    RequiredClaim requiredClaim,
    Instant createdAt,
    String createdBy,
    Instant updatedAt,
    String updatedBy) {}
