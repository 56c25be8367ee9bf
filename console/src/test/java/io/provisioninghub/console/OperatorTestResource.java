package io.provisioninghub.console;

import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.LocalOidc;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The operator pages' surroundings: the upstream stub, the signing keys, the local OIDC provider
 * (testkit's LocalOidc on a free port) as the operators' identity provider, and the JVM's real
 * Kafka broker for the dead letters.
 */
public class OperatorTestResource implements QuarkusTestResourceLifecycleManager {

  static final String CLIENT_ID = "phub-console";
  static final String CLIENT_SECRET = "test-client-secret-" + System.nanoTime();
  static UpstreamStub stub;
  static LocalOidc oidc;

  @Override
  public Map<String, String> start() {
    try {
      stub = new UpstreamStub();
      oidc = LocalOidc.start(0, CLIENT_ID, CLIENT_SECRET);
      Path dir = Files.createTempDirectory("console-operator-test-keys");
      Path admin =
          ConsoleTestResource.write(dir.resolve("admin.pem"), ConsoleTestResource.ADMIN_KEYS);
      Path support =
          ConsoleTestResource.write(dir.resolve("support.pem"), ConsoleTestResource.SUPPORT_KEYS);
      Map<String, String> config = new HashMap<>();
      config.put("phub.console.registry-url", stub.url());
      config.put("phub.console.audit-url", stub.url());
      config.put("phub.console.admin-signing-key-location", admin.toString());
      config.put("phub.console.support-signing-key-location", support.toString());
      config.put("phub.console.session-key", ConsoleTestResource.SESSION_KEY);
      config.put("phub.console.grafana-url", "https://grafana.example.test/");
      config.put("quarkus.oidc.tenant-enabled", "true");
      config.put("quarkus.oidc.auth-server-url", oidc.issuer());
      config.put("quarkus.oidc.client-id", CLIENT_ID);
      config.put("quarkus.oidc.credentials.secret", CLIENT_SECRET);
      config.put("phub.console.form-action", "'self' " + oidc.issuer());
      config.put("kafka.bootstrap.servers", Infrastructure.shared().kafka().bootstrapServers());
      return config;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
    if (stub != null) {
      stub.close();
    }
    if (oidc != null) {
      oidc.close();
    }
  }
}
