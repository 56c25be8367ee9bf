package io.provisioninghub.webhooks;

import io.provisioninghub.testkit.AdminTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.Map;

/** The admin key pair of the test: the service trusts its public half, tests mint tokens. */
public class AdminJwtTestResource implements QuarkusTestResourceLifecycleManager {

  static final AdminTokens TOKENS = AdminTokens.generate();

  @Override
  public Map<String, String> start() {
    return Map.of(
        "mp.jwt.verify.publickey",
        TOKENS.registryConfig().get("quarkus.oidc.public-key"),
        "mp.jwt.verify.issuer",
        AdminTokens.ISSUER);
  }

  @Override
  public void stop() {}

  static String admin() {
    return TOKENS.adminToken();
  }

  static String other() {
    return TOKENS.token(Duration.ofMinutes(5), "support");
  }
}
