package io.provisioninghub.registry;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * A fresh admin signing key per test run: the registry trusts its public half, tests sign admin
 * tokens with the private half. No OIDC server is involved.
 */
public class AdminKeysTestResource implements QuarkusTestResourceLifecycleManager {

  public static final String ISSUER = "provisioninghub-local-admin";

  /** The audience the registry requires (quarkus.oidc.token.audience). */
  public static final String AUDIENCE = "provisioninghub-admin-api";

  private static final KeyPair KEYS = generate();
  private static final KeyPair STRANGER = generate();

  @Override
  public Map<String, String> start() {
    return Map.of(
        "quarkus.oidc.public-key",
        Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded()));
  }

  @Override
  public void stop() {}

  /** A valid token with the given roles (groups claim). */
  public static String token(String... roles) {
    return Jwt.issuer(ISSUER)
        .audience(AUDIENCE)
        .subject("operator@vendor.example")
        .groups(java.util.Set.of(roles))
        .expiresIn(300)
        .sign(KEYS.getPrivate());
  }

  /** An admin token for another audience, or none when {@code audience} is null. */
  public static String adminTokenFor(String audience) {
    var claims =
        Jwt.issuer(ISSUER)
            .subject("operator@vendor.example")
            .groups("provisioning-admin")
            .expiresIn(300);
    if (audience != null) {
      claims.audience(audience);
    }
    return claims.sign(KEYS.getPrivate());
  }

  /** An admin token issued {@code age} ago and still unexpired. */
  public static String adminTokenIssuedAgo(java.time.Duration age) {
    long now = java.time.Instant.now().getEpochSecond();
    return Jwt.issuer(ISSUER)
        .audience(AUDIENCE)
        .subject("operator@vendor.example")
        .groups("provisioning-admin")
        .issuedAt(now - age.toSeconds())
        .expiresAt(now + 300)
        .sign(KEYS.getPrivate());
  }

  /** An admin token naming {@code subject}, as the console signs them (sub and upn). */
  public static String adminTokenAs(String subject) {
    return Jwt.issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(subject)
        .upn(subject)
        .groups("provisioning-admin")
        .expiresIn(300)
        .sign(KEYS.getPrivate());
  }

  /** A well-formed admin token signed by a key the registry does not trust. */
  public static String tokenOfUnknownKey() {
    return Jwt.issuer(ISSUER)
        .audience(AUDIENCE)
        .subject("mallory")
        .groups("provisioning-admin")
        .expiresIn(300)
        .sign(STRANGER.getPrivate());
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
