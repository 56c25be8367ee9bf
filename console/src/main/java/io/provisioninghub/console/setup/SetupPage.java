package io.provisioninghub.console.setup;

import io.provisioninghub.console.upstream.RegistryApi.Credential;
import io.provisioninghub.console.web.Format;
import java.util.List;

/** What the setup page shows. */
public record SetupPage(
    String displayName,
    Guide guide,
    List<Guide> guides,
    String tenantUrl,
    List<CredentialRow> credentials,
    Connection connection) {

  /** One credential as a table row: metadata only, never a secret. */
  public record CredentialRow(
      String id, String status, String created, String expires, String lastUsed, boolean active) {

    public static CredentialRow of(Credential credential) {
      return new CredentialRow(
          credential.id(),
          credential.status() == null ? "" : credential.status().toLowerCase(java.util.Locale.ROOT),
          Format.time(credential.createdAt()),
          credential.expiresAt() == null ? "never" : Format.time(credential.expiresAt()),
          credential.lastUsedAt() == null ? "not yet" : Format.time(credential.lastUsedAt()),
          credential.active());
    }
  }

  /** The answer page of Generate or Rotate: the secret, this once. */
  public record SecretPage(
      String displayName,
      String credentialId,
      String secret,
      String expires,
      boolean rotated,
      String tenantUrl) {}

  /** The page that asks before revoking a credential. */
  public record RevokePage(String displayName, String credentialId) {}
}
