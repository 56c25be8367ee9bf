package io.provisioninghub.gateway.auth;

import io.provisioninghub.gateway.GatewayConfig;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwt.consumer.Validator;

/**
 * The time claims quarkus-oidc does not bound by itself, checked on every OAuth JWT of every tenant
 * (a jose4j validator that quarkus-oidc applies to each tenant it builds): {@code iat} is required
 * and may not lie in the future by more than the clock skew, and {@code exp} may not lie further
 * after {@code iat} than {@code phub.gateway.oauth.max-token-lifetime}, so a token minted to last
 * ten years is refused even while it is young. (The maximum age since {@code iat} is quarkus-oidc's
 * {@code token.age}, set per tenant by {@link OAuthTenantConfigResolver}.)
 */
@ApplicationScoped
@Unremovable // looked up by quarkus-oidc at run time, never injected
public class TokenTimeValidator implements Validator {

  private final GatewayConfig.OAuth limits;
  private final Clock clock;

  @Inject
  public TokenTimeValidator(GatewayConfig config) {
    this(config.oauth(), Clock.systemUTC());
  }

  TokenTimeValidator(GatewayConfig.OAuth limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  @Override
  public String validate(JwtContext context) throws MalformedClaimException {
    JwtClaims claims = context.getJwtClaims();
    NumericDate issuedAt = claims.getIssuedAt();
    if (issuedAt == null) {
      return "the token has no iat (issued-at) claim";
    }
    long now = clock.millis() / 1000;
    long skew = limits.clockSkew().toSeconds();
    long iat = issuedAt.getValue();
    if (iat > now + skew) {
      return "the token's iat lies " + (iat - now) + " s in the future";
    }
    NumericDate expires = claims.getExpirationTime();
    if (expires == null) {
      return "the token has no exp (expiry) claim";
    }
    Duration lifetime = Duration.ofSeconds(expires.getValue() - iat);
    if (lifetime.compareTo(limits.maxTokenLifetime()) > 0) {
      return "the token is valid for "
          + lifetime
          + ", longer than phub.gateway.oauth.max-token-lifetime "
          + limits.maxTokenLifetime();
    }
    return null;
  }
}
