package io.provisioninghub.registry.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Bearer secrets: {@code phub_} followed by 256 random bits, base64url; stored as SHA-256. */
public final class Secrets {

  public static final String PREFIX = "phub_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  public static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
