package io.provisioninghub.console.session;

import java.time.Instant;

/**
 * A customer admin's session, opened by redeeming a setup link ({@code linkId}) or by a sign-in
 * with the customer's own identity provider ({@code signedInAs}, the user's subject there): the
 * only place the console learns which tenant a customer page is about.
 */
public record CustomerSession(
    String tenantId,
    String displayName,
    String linkId,
    String signedInAs,
    Instant issuedAt,
    Instant expiresAt) {

  /** The subject of the service tokens signed on this session's behalf. */
  public String principal() {
    return "console:customer:" + tenantId;
  }

  /** How the session was opened, for the pages and the logs. */
  public String via() {
    return signedInAs == null ? "setup-link" : "sign-in";
  }
}
