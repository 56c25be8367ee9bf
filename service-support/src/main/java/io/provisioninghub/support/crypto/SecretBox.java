package io.provisioninghub.support.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Secrets at rest (e.g. an identity provider's client secret): AES-256-GCM, a fresh 12-byte nonce
 * before each ciphertext, the tenant id as associated data, so a row's value copied to another
 * tenant's row does not decrypt. A plain class: each service builds one from its own key setting.
 */
public final class SecretBox {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final String setting;

  /**
   * @param base64Key base64 of exactly 32 random bytes ({@code openssl rand -base64 32})
   * @param setting the configuration property holding the key, named in error messages only
   */
  public SecretBox(String base64Key, String setting) {
    this.setting = Objects.requireNonNull(setting);
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(Objects.requireNonNull(base64Key, setting).trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(setting + " is not base64 (openssl rand -base64 32)");
    }
    if (raw.length != 32) {
      throw new IllegalStateException(setting + " must be base64 of exactly 32 bytes");
    }
    this.key = new SecretKeySpec(raw, "AES");
  }

  /** A fresh random key, base64: for tests and a development instance without a configured key. */
  public static String newKey() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  /** The nonce followed by the ciphertext and its tag. */
  public byte[] encrypt(String tenantId, String secret) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(tenantId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** The secret {@link #encrypt} sealed for this tenant; fails if key, tenant or bytes differ. */
  public String decrypt(String tenantId, byte[] stored) {
    try {
      if (stored == null || stored.length < NONCE_BYTES + TAG_BITS / 8) {
        throw new GeneralSecurityException("too short");
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
      cipher.updateAAD(tenantId.getBytes(StandardCharsets.UTF_8));
      return new String(
          cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      // Never the secret or the key in the message.
      throw new IllegalStateException(
          "a stored secret of tenant "
              + tenantId
              + " cannot be decrypted: "
              + setting
              + " changed?");
    }
  }
}
