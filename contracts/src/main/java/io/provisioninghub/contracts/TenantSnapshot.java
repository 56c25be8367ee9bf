package io.provisioninghub.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The full current state of one tenant as published to {@link Topics#TENANTS} (compacted, keyed by
 * tenant id). Carries credential hashes and metadata only, never a secret. A deleted tenant is a
 * tombstone (null value) under its key.
 *
 * @param tenantId the tenant's id (also the record key and the SCIM data partition)
 * @param revision increases with every change of this tenant; a reader keeps the highest it saw
 * @param displayName for people
 * @param idpTenantId the customer's IdP tenant id (Entra {@code tid}), if known
 * @param status active, suspended or being deleted; only an active tenant is served
 * @param rateLimit the tenant's request budget at the gateway
 * @param oauthTrust the issuer whose JWTs act as this tenant, if any
 * @param credentials every credential not yet deleted, revoked and expired ones included
 * @param updatedAt when the registry made this change
 * @param passwordPolicy what the gateway does with a SCIM password; {@code ignore} when absent
 * @param createdAt when this tenant was created: tells one life of a tenant id from the next (a
 *     deleted id can be created again); the gateway stamps it on every command as {@code
 *     tenantCreatedAt}, and the processor refuses commands of a deleted tenant by it
 * @param extensionSchemas the tenant's own extension schemas (docs/adr/0012): served under {@code
 *     /Schemas} to this tenant only and enforced on its writes; empty when absent
 * @param strictExtensions whether attributes of extension schemas the tenant did not declare are
 *     refused (400) instead of stored as sent; false when absent
 * @param eventRedactions attribute names whose values the tenant keeps out of provisioning events
 *     (docs/events.md): {@code emails}, {@code urn:…:employeeNumber}, or a whole extension's URN;
 *     empty when absent
 */
public record TenantSnapshot(
    String tenantId,
    long revision,
    String displayName,
    String idpTenantId,
    TenantStatus status,
    RateLimit rateLimit,
    OAuthTrust oauthTrust,
    List<CredentialState> credentials,
    Instant updatedAt,
    PasswordPolicy passwordPolicy,
    Instant createdAt,
    List<ExtensionSchema> extensionSchemas,
    boolean strictExtensions,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> eventRedactions) {

  public TenantSnapshot {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(rateLimit, "rateLimit");
    credentials = credentials == null ? List.of() : List.copyOf(credentials);
    // Snapshots written before the policy existed carry none: the safe default.
    passwordPolicy = passwordPolicy == null ? PasswordPolicy.IGNORE : passwordPolicy;
    // Snapshots written before custom schemas existed carry none, and are not strict.
    extensionSchemas = extensionSchemas == null ? List.of() : List.copyOf(extensionSchemas);
    eventRedactions = eventRedactions == null ? List.of() : List.copyOf(eventRedactions);
  }

  /** A snapshot without event redactions (the form before tenants could declare them). */
  public TenantSnapshot(
      String tenantId,
      long revision,
      String displayName,
      String idpTenantId,
      TenantStatus status,
      RateLimit rateLimit,
      OAuthTrust oauthTrust,
      List<CredentialState> credentials,
      Instant updatedAt,
      PasswordPolicy passwordPolicy,
      Instant createdAt,
      List<ExtensionSchema> extensionSchemas,
      boolean strictExtensions) {
    this(
        tenantId,
        revision,
        displayName,
        idpTenantId,
        status,
        rateLimit,
        oauthTrust,
        credentials,
        updatedAt,
        passwordPolicy,
        createdAt,
        extensionSchemas,
        strictExtensions,
        List.of());
  }

  /** A snapshot without extension schemas (the form before tenants could declare them). */
  public TenantSnapshot(
      String tenantId,
      long revision,
      String displayName,
      String idpTenantId,
      TenantStatus status,
      RateLimit rateLimit,
      OAuthTrust oauthTrust,
      List<CredentialState> credentials,
      Instant updatedAt,
      PasswordPolicy passwordPolicy,
      Instant createdAt) {
    this(
        tenantId,
        revision,
        displayName,
        idpTenantId,
        status,
        rateLimit,
        oauthTrust,
        credentials,
        updatedAt,
        passwordPolicy,
        createdAt,
        List.of(),
        false);
  }

  /** A snapshot without a creation time (written before tenants carried one). */
  public TenantSnapshot(
      String tenantId,
      long revision,
      String displayName,
      String idpTenantId,
      TenantStatus status,
      RateLimit rateLimit,
      OAuthTrust oauthTrust,
      List<CredentialState> credentials,
      Instant updatedAt,
      PasswordPolicy passwordPolicy) {
    this(
        tenantId,
        revision,
        displayName,
        idpTenantId,
        status,
        rateLimit,
        oauthTrust,
        credentials,
        updatedAt,
        passwordPolicy,
        null);
  }

  /** A snapshot with the default password policy ({@code ignore}). */
  public TenantSnapshot(
      String tenantId,
      long revision,
      String displayName,
      String idpTenantId,
      TenantStatus status,
      RateLimit rateLimit,
      OAuthTrust oauthTrust,
      List<CredentialState> credentials,
      Instant updatedAt,
      Instant createdAt) {
    this(
        tenantId,
        revision,
        displayName,
        idpTenantId,
        status,
        rateLimit,
        oauthTrust,
        credentials,
        updatedAt,
        PasswordPolicy.IGNORE,
        createdAt);
  }

  /** A snapshot with the default password policy, without a creation time. */
  public TenantSnapshot(
      String tenantId,
      long revision,
      String displayName,
      String idpTenantId,
      TenantStatus status,
      RateLimit rateLimit,
      OAuthTrust oauthTrust,
      List<CredentialState> credentials,
      Instant updatedAt) {
    this(
        tenantId,
        revision,
        displayName,
        idpTenantId,
        status,
        rateLimit,
        oauthTrust,
        credentials,
        updatedAt,
        PasswordPolicy.IGNORE,
        null);
  }

  /**
   * Active, suspended, or being deleted: a DELETING tenant is refused everywhere while the
   * processor purges its SCIM data; once that is done the registry publishes a tombstone.
   */
  public enum TenantStatus {
    ACTIVE,
    SUSPENDED,
    DELETING
  }

  /** Status of one credential as set by the operator; expiry is judged by time. */
  public enum CredentialStatus {
    ACTIVE,
    REVOKED
  }

  /**
   * A token bucket: {@code requestsPerSecond} sustained, up to {@code burst} at once.
   *
   * @param requestsPerSecond refill rate, at least 1
   * @param burst bucket capacity, at least 1
   */
  public record RateLimit(int requestsPerSecond, int burst) {}

  /**
   * Trust in one OAuth issuer for this tenant.
   *
   * @param issuer the exact {@code iss} (Entra: {@code https://sts.windows.net/{tid}/})
   * @param audiences accepted {@code aud} values
   * @param jwksUri where the issuer's signing keys are published
   */
  public record OAuthTrust(String issuer, List<String> audiences, String jwksUri) {
    public OAuthTrust {
      audiences = audiences == null ? List.of() : List.copyOf(audiences);
    }
  }

  /**
   * One bearer credential, by hash.
   *
   * @param id the credential's id (public)
   * @param sha256 lowercase hex SHA-256 of the secret
   * @param status active or revoked
   * @param createdAt when it was issued
   * @param expiresAt when it stops working, if ever
   */
  public record CredentialState(
      String id, String sha256, CredentialStatus status, Instant createdAt, Instant expiresAt) {

    /** Whether a request at {@code now} may use it. */
    public boolean usableAt(Instant now) {
      return status == CredentialStatus.ACTIVE && (expiresAt == null || now.isBefore(expiresAt));
    }
  }
}
