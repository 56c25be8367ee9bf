package io.provisioninghub.console;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * The console's test surroundings: the upstream stub, the two signing key pairs (private halves in
 * files as the console reads them, public halves for the tests to verify with) and a fixed session
 * key.
 */
public class ConsoleTestResource implements QuarkusTestResourceLifecycleManager {

  static final String SESSION_KEY = Base64.getEncoder().encodeToString(new byte[32]);
  static final KeyPair ADMIN_KEYS = generate();
  static final KeyPair SUPPORT_KEYS = generate();
  static UpstreamStub stub;

  @Override
  public Map<String, String> start() {
    try {
      stub = new UpstreamStub();
      Path dir = Files.createTempDirectory("console-test-keys");
      Path admin = write(dir.resolve("admin.pem"), ADMIN_KEYS);
      Path support = write(dir.resolve("support.pem"), SUPPORT_KEYS);
      return Map.of(
          "phub.console.registry-url", stub.url(),
          "phub.console.audit-url", stub.url(),
          "phub.console.admin-signing-key-location", admin.toString(),
          "phub.console.support-signing-key-location", support.toString(),
          "phub.console.session-key", SESSION_KEY,
          "phub.console.scim-base-url", "https://scim.example.test/scim/v2");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
    if (stub != null) {
      stub.close();
    }
  }

  static Path write(Path file, KeyPair keys) throws IOException {
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(keys.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    return Files.writeString(file, pem);
  }

  static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
