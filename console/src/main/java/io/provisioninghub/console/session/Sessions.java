package io.provisioninghub.console.session;

import io.provisioninghub.console.ConsoleConfig;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The session cookie: opened on every customer request, set when a setup link is redeemed, cleared
 * at logout. {@code HttpOnly}, {@code SameSite=Strict}; when secure (the default) also {@code
 * Secure} with the {@code __Host-} prefix, which requires {@code Path=/} (ADR 0021), otherwise
 * {@code Path=/console}.
 */
@Singleton
public class Sessions {

  static final String SECURE_NAME = "__Host-phub-console";
  static final String PLAIN_NAME = "phub-console";

  private final SessionCodec codec;
  private final ConsoleConfig config;
  private final Clock clock;

  public Sessions(SessionCodec codec, ConsoleConfig config) {
    this.codec = codec;
    this.config = config;
    this.clock = Clock.systemUTC();
  }

  /** The cookie's name under the current settings. */
  public String cookieName() {
    return config.cookieSecure() ? SECURE_NAME : PLAIN_NAME;
  }

  /**
   * The session of this request.
   *
   * @throws NoSession there is none, or its cookie is expired or not one this console sealed
   */
  public CustomerSession require(HttpHeaders headers) {
    Cookie cookie = headers.getCookies().get(cookieName());
    return codec.open(cookie == null ? null : cookie.getValue()).orElseThrow(NoSession::new);
  }

  /** A new session for the tenant of a redeemed setup link: the {@code Set-Cookie} value. */
  public String open(String tenantId, String displayName, String linkId) {
    return open(tenantId, displayName, linkId, null);
  }

  /**
   * A new session for a tenant whose admin signed in with the tenant's own identity provider as
   * {@code subject}: the {@code Set-Cookie} value.
   */
  public String openSignedIn(String tenantId, String displayName, String subject) {
    return open(tenantId, displayName, null, subject);
  }

  private String open(String tenantId, String displayName, String linkId, String subject) {
    Instant now = clock.instant();
    Instant expires = now.plus(config.sessionTtl());
    CustomerSession session =
        new CustomerSession(tenantId, displayName, linkId, subject, now, expires);
    return cookie(codec.seal(session), config.sessionTtl().toSeconds(), expires);
  }

  /** The {@code Set-Cookie} value that removes the session from the browser. */
  public String clear() {
    return cookie("", 0, Instant.EPOCH);
  }

  /**
   * Written by hand: JAX-RS' cookie adds a legacy {@code Version} attribute and no {@code Expires},
   * which some clients need to drop a cookie.
   */
  private String cookie(String value, long maxAge, Instant expires) {
    boolean secure = config.cookieSecure();
    return cookieName()
        + "="
        + value
        + "; Path="
        + (secure ? "/" : "/console")
        + "; Max-Age="
        + maxAge
        + "; Expires="
        + DateTimeFormatter.RFC_1123_DATE_TIME.format(expires.atOffset(ZoneOffset.UTC))
        + "; HttpOnly; SameSite=Strict"
        + (secure ? "; Secure" : "");
  }
}
