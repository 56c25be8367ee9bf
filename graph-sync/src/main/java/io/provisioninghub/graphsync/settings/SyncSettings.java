package io.provisioninghub.graphsync.settings;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A tenant's Graph sync as stored: its app registration (the client secret only encrypted), its
 * scope, schedule and the delta links of its last complete rounds.
 *
 * @param encryptedSecret the client secret, or with a {@code clientCertificate} its private key,
 *     encrypted ({@link SecretBox})
 * @param clientCertificate the app registration's certificate (PEM) when it authenticates with one,
 *     else null
 * @param userDomains users whose userPrincipalName ends in {@code @} one of these are in scope (all
 *     when empty)
 * @param groupIds Graph ids of the groups in scope (all when empty)
 */
public record SyncSettings(
    String tenantId,
    String entraTenantId,
    String clientId,
    byte[] encryptedSecret,
    String clientCertificate,
    List<String> userDomains,
    List<String> groupIds,
    Duration interval,
    boolean enabled,
    String usersDeltaLink,
    String groupsDeltaLink,
    Instant nextRunAt,
    Instant createdAt,
    Instant updatedAt) {

  /** Whether a user principal name is in this tenant's scope. */
  public boolean userInScope(String userPrincipalName) {
    if (userDomains.isEmpty()) {
      return true;
    }
    if (userPrincipalName == null) {
      return false;
    }
    String upn = userPrincipalName.toLowerCase(java.util.Locale.ROOT);
    return userDomains.stream()
        .anyMatch(d -> upn.endsWith("@" + d.toLowerCase(java.util.Locale.ROOT)));
  }

  /** Whether a group is in this tenant's scope. */
  public boolean groupInScope(String graphId) {
    return groupIds.isEmpty() || groupIds.contains(graphId);
  }
}
