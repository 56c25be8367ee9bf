package io.provisioninghub.support.sources;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The short-lived tokens a source service (graph-sync, saml-jit) writes to the gateway with (ADR
 * 0022): RS256, role {@code provisioning-source}, {@code tenant} = the tenant written, {@code
 * source} = the service's source name. One per tenant, reused until a minute before it ends. A
 * plain class: each service makes it a bean from its own settings, reading the key at start so a
 * service that cannot sign does not start.
 */
public class SourceTokens {

  public static final String ROLE = "provisioning-source";

  /** Where a service's tokens go and what they say of it. */
  public record Settings(
      String issuer, String audience, Duration ttl, String subject, String source) {}

  private final PrivateKey key;
  private final Settings settings;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  public SourceTokens(PrivateKey key, Settings settings) {
    this.key = key;
    this.settings = settings;
  }

  /** The source name the tokens carry. */
  public String source() {
    return settings.source();
  }

  /** A token that lets this service write the tenant's users and groups as its source. */
  public String forTenant(String tenantId) {
    Token cached = tokens.get(tenantId);
    Instant now = Instant.now();
    if (cached != null && now.isBefore(cached.renewAt())) {
      return cached.value();
    }
    Duration ttl = settings.ttl();
    String value =
        Jwt.issuer(settings.issuer())
            .audience(settings.audience())
            .subject(settings.subject())
            .groups(Set.of(ROLE))
            .claim("tenant", tenantId)
            .claim("source", settings.source())
            .issuedAt(now.getEpochSecond())
            .expiresAt(now.plus(ttl).getEpochSecond())
            .claim("jti", UUID.randomUUID().toString())
            .jws()
            .algorithm(SignatureAlgorithm.RS256)
            .sign(key);
    Duration margin =
        ttl.compareTo(Duration.ofMinutes(2)) > 0 ? Duration.ofMinutes(1) : ttl.dividedBy(2);
    tokens.put(tenantId, new Token(value, now.plus(ttl).minus(margin)));
    return value;
  }

  /** The PKCS#8 PEM RSA key at {@code pem}; {@code property} names the setting in the failure. */
  public static PrivateKey readPrivateKey(Path pem, String property) {
    String text;
    try {
      text = Files.readString(pem);
    } catch (IOException e) {
      throw new IllegalStateException(property + ": cannot read " + pem, e);
    }
    try {
      return KeyUtils.decodePrivateKey(text);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(property + ": " + pem + " is not a PKCS#8 PEM RSA key", e);
    }
  }

  private record Token(String value, Instant renewAt) {}
}
