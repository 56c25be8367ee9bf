package io.provisioninghub.console;

import io.provisioninghub.testkit.LocalOidc;
import java.util.HashMap;
import java.util.Map;

/**
 * The customer pages' surroundings without the operator pages (no operators' identity provider: the
 * default OIDC tenant stays off) and one customer's own identity provider.
 */
public class CustomerSignInAloneTestResource extends ConsoleTestResource {

  static final String CLIENT = "console-of-a";
  static final String SECRET = "a-client-secret-" + System.nanoTime();
  static LocalOidc idp;

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>(super.start());
    idp = LocalOidc.start(0, CLIENT, SECRET);
    config.put("phub.console.cookie-secure", "false");
    config.put("phub.console.sign-in-cache-ttl", "PT0S");
    return config;
  }

  @Override
  public void stop() {
    super.stop();
    if (idp != null) {
      idp.close();
    }
  }
}
