package io.provisioninghub.gateway.app;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The vendor application's key pair for the test: the gateway is given the public half as a PEM
 * file ({@code phub.gateway.app.public-key-location}); tests mint tokens with the private half.
 */
public class AppKeysTestResource implements QuarkusTestResourceLifecycleManager {

  static final String ISSUER = "provisioninghub-app";
  static final String AUDIENCE = "provisioninghub-app-api";

  private static KeyPair keys;
  private static KeyPair stranger;

  @Override
  public synchronized Map<String, String> start() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      keys = generator.generateKeyPair();
      stranger = generator.generateKeyPair();
      Path pem = Files.createTempFile("app-public", ".pem");
      Files.writeString(
          pem,
          "-----BEGIN PUBLIC KEY-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes())
                  .encodeToString(keys.getPublic().getEncoded())
              + "\n-----END PUBLIC KEY-----\n");
      pem.toFile().deleteOnExit();
      return Map.of("phub.gateway.app.public-key-location", pem.toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {}

  /** A token of the application with these roles, for every tenant (no tenants claim). */
  static String token(String... roles) {
    return sign(keys.getPrivate(), ISSUER, null, roles);
  }

  /** A token of the application with the role, limited to these tenants. */
  static String tokenFor(List<String> tenants) {
    return sign(keys.getPrivate(), ISSUER, tenants, "provisioning-app");
  }

  /** A well-formed token signed with a key the gateway does not trust. */
  static String tokenOfStranger() {
    return sign(stranger.getPrivate(), ISSUER, null, "provisioning-app");
  }

  /** A token of another issuer, signed with the right key. */
  static String tokenOfIssuer(String issuer) {
    return sign(keys.getPrivate(), issuer, null, "provisioning-app");
  }

  private static String sign(PrivateKey key, String issuer, List<String> tenants, String... roles) {
    long now = Instant.now().getEpochSecond();
    var builder =
        Jwt.issuer(issuer)
            .audience(AUDIENCE)
            .subject("vendor-app")
            .groups(Set.of(roles))
            .issuedAt(now - 5)
            .expiresAt(now + 300);
    if (tenants != null) {
      builder = builder.claim("tenants", tenants);
    }
    return builder.jws().sign(key);
  }
}
