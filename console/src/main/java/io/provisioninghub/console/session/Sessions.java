package io.provisioninghub.console.session;

import io.provisioninghub.console.ConsoleConfig;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import java.time.Clock;
import java.time.Instant;

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

  /** A new session for the tenant of a redeemed setup link, and the cookie that carries it. */
  public NewCookie open(String tenantId, String displayName, String linkId) {
    Instant now = clock.instant();
    CustomerSession session =
        new CustomerSession(tenantId, displayName, linkId, now, now.plus(config.sessionTtl()));
    return cookie(codec.seal(session), (int) config.sessionTtl().toSeconds());
  }

  /** The cookie that removes the session from the browser. */
  public NewCookie clear() {
    return cookie("", 0);
  }

  private NewCookie cookie(String value, int maxAge) {
    boolean secure = config.cookieSecure();
    return new NewCookie.Builder(cookieName())
        .value(value)
        .path(secure ? "/" : "/console")
        .maxAge(maxAge)
        .secure(secure)
        .httpOnly(true)
        .sameSite(NewCookie.SameSite.STRICT)
        .build();
  }
}
