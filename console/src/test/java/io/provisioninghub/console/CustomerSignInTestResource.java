package io.provisioninghub.console;

import io.provisioninghub.testkit.LocalOidc;
import java.util.HashMap;
import java.util.Map;

/**
 * The operator pages' surroundings (upstream stub, keys, the operators' local OIDC provider) plus
 * two more local OIDC providers: the own identity providers of the customers A and C.
 */
public class CustomerSignInTestResource extends OperatorTestResource {

  static final String A_CLIENT = "console-of-a";
  static final String A_SECRET = "a-client-secret-" + System.nanoTime();
  static final String C_CLIENT = "console-of-c";
  static final String C_SECRET = "c-client-secret-" + System.nanoTime();
  static LocalOidc idpA;
  static LocalOidc idpC;

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>(super.start());
    idpA = LocalOidc.start(0, A_CLIENT, A_SECRET);
    idpC = LocalOidc.start(0, C_CLIENT, C_SECRET);
    // Plain http on 127.0.0.1, as on the local stack: the test's cookie jar sends no Secure
    // cookie over http.
    config.put("phub.console.cookie-secure", "false");
    // Every lookup reaches the stub, so a test's answers count at once.
    config.put("phub.console.sign-in-cache-ttl", "PT0S");
    return config;
  }

  @Override
  public void stop() {
    super.stop();
    if (idpA != null) {
      idpA.close();
    }
    if (idpC != null) {
      idpC.close();
    }
  }
}
