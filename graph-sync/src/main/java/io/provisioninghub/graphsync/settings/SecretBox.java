package io.provisioninghub.graphsync.settings;

import io.provisioninghub.graphsync.GraphSyncConfig;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Entra client secrets at rest: AES-256-GCM under {@code phub.graph-sync.secret-encryption-key}, a
 * fresh 12-byte nonce before each ciphertext, the tenant id as associated data (a row's secret
 * copied to another tenant's row does not decrypt). The same scheme as the webhooks service's
 * endpoint secrets.
 */
@ApplicationScoped
public class SecretBox {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  @Inject
  public SecretBox(GraphSyncConfig config) {
    this(
        config
            .secretEncryptionKey()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "phub.graph-sync.secret-encryption-key"
                            + " (PHUB_GRAPH_SYNC_SECRET_ENCRYPTION_KEY) is not set: client secrets"
                            + " are stored encrypted with it. Generate one with: openssl rand"
                            + " -base64 32"
                            + (LaunchMode.current().isDevOrTest()
                                ? ""
                                : " (required in production)"))));
  }

  SecretBox(String base64Key) {
    byte[] raw = Base64.getDecoder().decode(base64Key);
    if (raw.length != 32) {
      throw new IllegalStateException(
          "phub.graph-sync.secret-encryption-key must be base64 of exactly 32 bytes");
    }
    this.key = new SecretKeySpec(raw, "AES");
  }

  public byte[] encrypt(String tenantId, String secret) {
    try {
      byte[] nonce = new byte[12];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      cipher.updateAAD(tenantId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String decrypt(String tenantId, byte[] stored) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, stored, 0, 12));
      cipher.updateAAD(tenantId.getBytes(StandardCharsets.UTF_8));
      return new String(cipher.doFinal(stored, 12, stored.length - 12), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      // Never the secret or the key in the message.
      throw new IllegalStateException(
          "the client secret of tenant "
              + tenantId
              + " cannot be decrypted: phub.graph-sync.secret-encryption-key changed?");
    }
  }
}
