package io.provisioninghub.samljit.settings;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A tenant's identity provider as stored: what its sign-ins are checked against and mapped by. */
public record IdpSettings(
    String tenantId,
    String idpEntityId,
    String ssoUrl,
    List<Certificate> certificates,
    Map<String, String> claimMapping,
    String groupClaim,
    String applicationUrl,
    boolean enabled,
    Instant createdAt,
    Instant updatedAt) {

  /** One signing certificate of the IdP; {@code notAfter} null = until removed. */
  public record Certificate(String pem, Instant notAfter) {
    public boolean activeAt(Instant now) {
      return notAfter == null || now.isBefore(notAfter);
    }
  }

  /** The certificates a response may be signed with now (several during a rotation). */
  public List<Certificate> activeCertificates(Instant now) {
    return certificates.stream().filter(c -> c.activeAt(now)).toList();
  }
}
