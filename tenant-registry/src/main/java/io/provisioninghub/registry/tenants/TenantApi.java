package io.provisioninghub.registry.tenants;

import io.provisioninghub.contracts.PasswordPolicy;
import io.provisioninghub.contracts.TenantSnapshot.OAuthTrust;
import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON documents of {@code /admin/v1/tenants}. */
public final class TenantApi {

  private TenantApi() {}

  static final String PASSWORD_POLICY =
      "what the gateways do with a SCIM password: 'ignore' (default: accepted, nothing kept) or"
          + " 'hash' (an Argon2id hash is kept for the vendor's sign-in; plaintext never leaves"
          + " the gateway)";

  /** A new tenant. Everything but the display name is optional. */
  @Schema(name = "NewTenant")
  public record NewTenant(
      @Schema(
              description =
                  "lowercase letters, digits and '-', 2-63 characters; generated if absent",
              examples = "contoso")
          String id,
      @Schema(required = true, examples = "Contoso Ltd") String displayName,
      @Schema(description = "the customer's IdP tenant id (Entra tid)") String idpTenantId,
      @Schema(description = "default 50 requests/s sustained, burst 500, per gateway instance")
          RateLimit rateLimit,
      OAuthTrustInput oauthTrust,
      @Schema(description = PASSWORD_POLICY) PasswordPolicy passwordPolicy) {}

  /** Changes to a tenant: each field given replaces the stored one. */
  @Schema(name = "TenantChanges")
  public record TenantChanges(
      String displayName,
      String idpTenantId,
      RateLimit rateLimit,
      @Schema(description = PASSWORD_POLICY) PasswordPolicy passwordPolicy) {}

  /**
   * OAuth trust as an operator gives it. Without {@code issuer} and with an IdP tenant id, the
   * Entra form {@code https://sts.windows.net/{tid}/} is used.
   */
  @Schema(name = "OAuthTrustInput")
  public record OAuthTrustInput(String issuer, List<String> audiences, String jwksUri) {}

  /** A tenant as the admin API shows it. */
  @Schema(name = "Tenant")
  public record TenantView(
      String id,
      String displayName,
      String idpTenantId,
      TenantStatus status,
      RateLimit rateLimit,
      OAuthTrust oauthTrust,
      long revision,
      Instant createdAt,
      Instant updatedAt,
      PasswordPolicy passwordPolicy) {

    static TenantView of(TenantRow row) {
      return new TenantView(
          row.id(),
          row.displayName(),
          row.idpTenantId(),
          row.status(),
          row.rateLimit(),
          row.oauthTrust(),
          row.revision(),
          row.createdAt(),
          row.updatedAt(),
          row.passwordPolicy());
    }
  }
}
