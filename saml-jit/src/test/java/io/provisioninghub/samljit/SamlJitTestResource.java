package io.provisioninghub.samljit;

import io.provisioninghub.testkit.AdminTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * saml-jit's test world: the gateway played by {@link GatewayStub}, a signing key for the service
 * tokens, the admin key pair whose tokens the admin API trusts, and the public base URL browsers
 * would use (responses are addressed to it; the tests post them to the real endpoint).
 */
public class SamlJitTestResource implements QuarkusTestResourceLifecycleManager {

  static final AdminTokens ADMIN = AdminTokens.generate();
  static final String BASE = "https://sso.vendor.example";
  static GatewayStub gateway;

  @Override
  public synchronized Map<String, String> start() {
    try {
      gateway = new GatewayStub();
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      Path pem = Files.createTempFile("saml-jit-signing", ".pem");
      Files.writeString(
          pem,
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes())
                  .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
              + "\n-----END PRIVATE KEY-----\n");
      pem.toFile().deleteOnExit();
      Map<String, String> config = new HashMap<>();
      config.put("phub.saml-jit.public-base-url", BASE);
      config.put("phub.saml-jit.scim.base-url", gateway.baseUrl());
      config.put("phub.saml-jit.scim.signing-key-location", pem.toString());
      config.put("mp.jwt.verify.publickey", ADMIN.registryConfig().get("quarkus.oidc.public-key"));
      config.put("mp.jwt.verify.issuer", AdminTokens.ISSUER);
      return config;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }
}
