package io.provisioninghub.graphsync.settings;

import io.provisioninghub.graphsync.GraphSyncConfig;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Entra client secrets and certificate keys at rest: service-support's AES-256-GCM {@code
 * SecretBox} (the tenant id as associated data) under {@code
 * phub.graph-sync.secret-encryption-key}, which a graph-sync without it refuses to start.
 */
@ApplicationScoped
public class SecretBox {

  private static final String SETTING = "phub.graph-sync.secret-encryption-key";

  private final io.provisioninghub.support.crypto.SecretBox box;

  @Inject
  public SecretBox(GraphSyncConfig config) {
    this(
        config
            .secretEncryptionKey()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        SETTING
                            + " (PHUB_GRAPH_SYNC_SECRET_ENCRYPTION_KEY) is not set: client secrets"
                            + " are stored encrypted with it. Generate one with: openssl rand"
                            + " -base64 32"
                            + (LaunchMode.current().isDevOrTest()
                                ? ""
                                : " (required in production)"))));
  }

  SecretBox(String base64Key) {
    this.box = new io.provisioninghub.support.crypto.SecretBox(base64Key, SETTING);
  }

  public byte[] encrypt(String tenantId, String secret) {
    return box.encrypt(tenantId, secret);
  }

  public String decrypt(String tenantId, byte[] stored) {
    return box.decrypt(tenantId, stored);
  }
}
