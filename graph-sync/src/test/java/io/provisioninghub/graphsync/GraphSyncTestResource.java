package io.provisioninghub.graphsync;

import io.provisioninghub.testkit.AdminTokens;
import io.provisioninghub.testkit.GraphSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * graph-sync's test world: a Graph simulator (300 users, 12 groups) that Entra and Graph URLs point
 * at, a signing key for the service tokens, and the admin key pair whose tokens the admin API
 * trusts.
 */
public class GraphSyncTestResource implements QuarkusTestResourceLifecycleManager {

  static final AdminTokens ADMIN = AdminTokens.generate();
  static GraphSimulator graph;

  @Override
  public synchronized Map<String, String> start() {
    try {
      graph = GraphSimulator.start(300, 12, 7L, 100, 5);
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      Path pem = Files.createTempFile("graph-sync-signing", ".pem");
      Files.writeString(
          pem,
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes())
                  .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
              + "\n-----END PRIVATE KEY-----\n");
      pem.toFile().deleteOnExit();
      Map<String, String> config = new HashMap<>();
      config.put("phub.graph-sync.authority-url", graph.authorityUrl());
      config.put("phub.graph-sync.graph-url", graph.graphUrl());
      config.put("phub.graph-sync.scim.base-url", "http://127.0.0.1:9/scim/v2");
      config.put("phub.graph-sync.scim.signing-key-location", pem.toString());
      config.put("mp.jwt.verify.publickey", ADMIN.registryConfig().get("quarkus.oidc.public-key"));
      config.put("mp.jwt.verify.issuer", AdminTokens.ISSUER);
      return config;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {
    if (graph != null) {
      graph.close();
    }
  }
}
