package io.provisioninghub.gateway.auth;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The source services' key pair for the test: the gateway gets the public half as a PEM file
 * ({@code phub.gateway.sources.public-key-location}); tests sign service tokens with the private
 * half, as graph-sync does.
 */
public class SourceKeysTestResource implements QuarkusTestResourceLifecycleManager {

  static final String ISSUER = "provisioninghub-sources";
  static final String AUDIENCE = "provisioninghub-scim-sources";

  private static KeyPair keys;
  private static KeyPair stranger;

  @Override
  public synchronized Map<String, String> start() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      keys = generator.generateKeyPair();
      stranger = generator.generateKeyPair();
      Path pem = Files.createTempFile("sources-public", ".pem");
      Files.writeString(
          pem,
          "-----BEGIN PUBLIC KEY-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes())
                  .encodeToString(keys.getPublic().getEncoded())
              + "\n-----END PUBLIC KEY-----\n");
      pem.toFile().deleteOnExit();
      return Map.of("phub.gateway.sources.public-key-location", pem.toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {}

  /** A token of a source service for the tenant, with the source and the role. */
  static String token(String tenant, String source) {
    return sign(keys.getPrivate(), tenant, source, "provisioning-source");
  }

  static String tokenWithRole(String tenant, String source, String role) {
    return sign(keys.getPrivate(), tenant, source, role);
  }

  /** A well-formed token signed with a key the gateway does not trust. */
  static String tokenOfStranger(String tenant) {
    return sign(stranger.getPrivate(), tenant, "graph", "provisioning-source");
  }

  private static String sign(PrivateKey key, String tenant, String source, String role) {
    long now = Instant.now().getEpochSecond();
    var builder =
        Jwt.issuer(ISSUER)
            .audience(AUDIENCE)
            .subject("graph-sync")
            .groups(Set.of(role))
            .issuedAt(now - 5)
            .expiresAt(now + 300);
    if (tenant != null) {
      builder = builder.claim("tenant", tenant);
    }
    if (source != null) {
      builder = builder.claim("source", source);
    }
    return builder.jws().sign(key);
  }
}
