package io.provisioninghub.console.session;

import java.time.Instant;

/**
 * A customer admin's session, opened by redeeming a setup link: the only place the console learns
 * which tenant a customer page is about.
 */
public record CustomerSession(
    String tenantId, String displayName, String linkId, Instant issuedAt, Instant expiresAt) {

  /** The subject of the service tokens signed on this session's behalf. */
  public String principal() {
    return "console:customer:" + tenantId;
  }
}
