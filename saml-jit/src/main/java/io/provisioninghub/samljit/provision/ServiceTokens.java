package io.provisioninghub.samljit.provision;

import io.provisioninghub.samljit.SamlJitConfig;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
 * The short-lived tokens this service writes to the gateway with (ADR 0022, ADR 0023): RS256, role
 * {@code provisioning-source}, {@code tenant} = the tenant signed in to, {@code source} = {@code
 * saml-jit}. One per tenant, reused until a minute before it ends. The key is read at start: a
 * service that cannot sign does not start.
 */
@ApplicationScoped
public class ServiceTokens {

  public static final String ROLE = "provisioning-source";
  public static final String SOURCE = "saml-jit";

  private final PrivateKey key;
  private final SamlJitConfig.Scim scim;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  @Inject
  public ServiceTokens(SamlJitConfig config) {
    this(readPrivateKey(config.scim().signingKeyLocation()), config.scim());
  }

  ServiceTokens(PrivateKey key, SamlJitConfig.Scim scim) {
    this.key = key;
    this.scim = scim;
  }

  /** A token that lets this service write the tenant's users and groups as source saml-jit. */
  public String forTenant(String tenantId) {
    Token cached = tokens.get(tenantId);
    Instant now = Instant.now();
    if (cached != null && now.isBefore(cached.renewAt())) {
      return cached.value();
    }
    Duration ttl = scim.tokenTtl();
    String value =
        Jwt.issuer(scim.issuer())
            .audience(scim.audience())
            .subject("saml-jit")
            .groups(Set.of(ROLE))
            .claim("tenant", tenantId)
            .claim("source", SOURCE)
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

  static PrivateKey readPrivateKey(Path pem) {
    String text;
    try {
      text = Files.readString(pem);
    } catch (IOException e) {
      throw new IllegalStateException(
          "phub.saml-jit.scim.signing-key-location: cannot read " + pem, e);
    }
    try {
      return KeyUtils.decodePrivateKey(text);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "phub.saml-jit.scim.signing-key-location: " + pem + " is not a PKCS#8 PEM RSA key", e);
    }
  }

  private record Token(String value, Instant renewAt) {}
}
