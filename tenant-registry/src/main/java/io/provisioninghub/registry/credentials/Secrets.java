package io.provisioninghub.registry.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer secrets: a prefix ({@code phub_} for SCIM credentials) followed by 256 random bits,
 * base64url; stored as SHA-256.
 */
public final class Secrets {

  public static final String PREFIX = "phub_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  public static String newSecret() {
    return newSecret(PREFIX);
  }

  /** {@code prefix} followed by 256 random bits, base64url without padding (43 characters). */
  public static String newSecret(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Lowercase hex SHA-256 of the secret's UTF-8 bytes: the only form that is stored. */
  public static String sha256Hex(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
