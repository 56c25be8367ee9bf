package io.provisioninghub.registry.credentials;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON documents of {@code /admin/v1/tenants/{id}/credentials}. */
public final class CredentialApi {

  private CredentialApi() {}

  /** Options of a new credential; the body may be omitted. */
  @Schema(name = "NewCredential")
  public record NewCredential(
      @Schema(description = "days until it stops working; never expires if absent")
          Integer expiresInDays) {}

  /** Options of a rotation; the body may be omitted. */
  @Schema(name = "Rotation")
  public record Rotation(
      @Schema(description = "days until the new credential expires; never if absent")
          Integer expiresInDays,
      @Schema(description = "seconds the old credential stays valid; default 7 days")
          Long oldValidForSeconds) {}

  /** A credential's metadata; never its secret or hash. */
  @Schema(name = "Credential")
  public record CredentialView(
      String id,
      @Schema(enumeration = {"ACTIVE", "REVOKED", "EXPIRED"}) String status,
      Instant createdAt,
      Instant expiresAt,
      Instant revokedAt,
      @Schema(description = "approximate: gateways report use about once a minute")
          Instant lastUsedAt) {

    static CredentialView of(CredentialRow row, Instant now) {
      String status = row.status().name();
      if (row.state().status()
              == io.provisioninghub.contracts.TenantSnapshot.CredentialStatus.ACTIVE
          && !row.state().usableAt(now)) {
        status = "EXPIRED";
      }
      return new CredentialView(
          row.id(), status, row.createdAt(), row.expiresAt(), row.revokedAt(), row.lastUsedAt());
    }
  }

  /** The one answer that carries the secret: shown once, never stored. */
  @Schema(name = "IssuedCredential")
  public record IssuedCredential(
      String id,
      @Schema(description = "the bearer secret (phub_...); store it now, it is never shown again")
          String secret,
      String status,
      Instant createdAt,
      Instant expiresAt) {

    @Override
    public String toString() {
      // A record's default toString would print the secret into any log line that shows it.
      return "IssuedCredential[id=" + id + ", secret=<redacted>]";
    }
  }
}
