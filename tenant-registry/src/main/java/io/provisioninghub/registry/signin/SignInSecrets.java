package io.provisioninghub.registry.signin;

import io.provisioninghub.registry.RegistryConfig;
import io.provisioninghub.support.crypto.SecretBox;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The registry's {@link SecretBox} for the client secrets of the console's customer sign-in. A
 * registry outside dev and test without {@code phub.registry.secret-encryption-key} does not start;
 * in dev and test a random key is made (stored secrets then do not survive a restart).
 */
@ApplicationScoped
@Startup
public class SignInSecrets {

  static final String SETTING = "phub.registry.secret-encryption-key";

  private static final Logger LOG = Logger.getLogger(SignInSecrets.class);

  private final SecretBox box;

  @Inject
  public SignInSecrets(RegistryConfig config) {
    this.box = new SecretBox(key(config), SETTING);
  }

  private static String key(RegistryConfig config) {
    if (config.secretEncryptionKey().isPresent()) {
      return config.secretEncryptionKey().get();
    }
    if (!LaunchMode.current().isDevOrTest()) {
      throw new IllegalStateException(
          SETTING
              + " (PHUB_REGISTRY_SECRET_ENCRYPTION_KEY) is not set: the console sign-in's client"
              + " secrets are stored encrypted with it. Generate one with: openssl rand -base64 32");
    }
    LOG.warnf("%s is not set: a random key is used until restart (dev and test only)", SETTING);
    return SecretBox.newKey();
  }

  public byte[] seal(String tenantId, String secret) {
    return box.encrypt(tenantId, secret);
  }

  public String open(String tenantId, byte[] sealed) {
    return box.decrypt(tenantId, sealed);
  }
}
