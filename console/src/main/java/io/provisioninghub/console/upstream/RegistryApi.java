package io.provisioninghub.console.upstream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** The registry's documents the console reads (unknown members are ignored). */
public final class RegistryApi {

  private RegistryApi() {}

  /** A redeemed setup link: the tenant the new session is for. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Redeemed(String tenantId, String linkId, String displayName, Instant redeemedAt) {}

  /** A claim a customer's ID token must carry with one of the values. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RequiredClaim(String name, java.util.List<String> values) {}

  /**
   * A tenant's console sign-in with its identity provider, client secret included: read by the
   * console only, kept in memory a short while, never shown or logged.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SignInClient(
      String tenantId,
      String displayName,
      String issuer,
      String clientId,
      String clientSecret,
      RequiredClaim requiredClaim) {

    @Override
    public String toString() {
      return "SignInClient[tenantId=" + tenantId + ", issuer=" + issuer + ", secret=<redacted>]";
    }
  }

  /** A SCIM credential's metadata (never its secret). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Credential(
      String id,
      String status,
      Instant createdAt,
      Instant expiresAt,
      Instant revokedAt,
      Instant lastUsedAt) {

    public boolean active() {
      return "ACTIVE".equals(status);
    }
  }

  /** A new credential with its secret: shown once, never stored or logged. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record IssuedCredential(
      String id, String secret, String status, Instant createdAt, Instant expiresAt) {

    @Override
    public String toString() {
      return "IssuedCredential[id=" + id + ", secret=<redacted>]";
    }
  }

  /** A tenant as the admin API shows it (the operator pages). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Tenant(
      String id,
      String displayName,
      String status,
      RateLimit rateLimit,
      Instant createdAt,
      Instant updatedAt) {

    public boolean active() {
      return "ACTIVE".equals(status);
    }

    public boolean suspended() {
      return "SUSPENDED".equals(status);
    }
  }

  /** A tenant's rate limit per gateway instance. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RateLimit(int requestsPerSecond, int burst) {}
}
