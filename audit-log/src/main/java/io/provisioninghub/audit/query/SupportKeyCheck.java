package io.provisioninghub.audit.query;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * Refuses to start without a key to verify support tokens: the service would otherwise run and
 * answer every support request with 401, which looks like a client problem.
 */
@ApplicationScoped
public class SupportKeyCheck {

  static final List<String> KEY_PROPERTIES =
      List.of(
          "mp.jwt.verify.publickey.location",
          "mp.jwt.verify.publickey",
          "smallrye.jwt.verify.key.location");

  void onStart(@Observes StartupEvent event, Config config) {
    boolean configured =
        KEY_PROPERTIES.stream()
            .anyMatch(
                name ->
                    config
                        .getOptionalValue(name, String.class)
                        .filter(v -> !v.isBlank())
                        .isPresent());
    if (!configured) {
      throw new IllegalStateException(
          "no key to verify support tokens: set mp.jwt.verify.publickey.location to the support"
              + " identity provider's public key (PEM or JWK file, or a JWKS URL)");
    }
  }
}
