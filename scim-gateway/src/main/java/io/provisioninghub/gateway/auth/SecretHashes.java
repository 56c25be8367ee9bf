package io.provisioninghub.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of bearer secrets and their constant-time comparison. */
final class SecretHashes {

  private static final HexFormat HEX = HexFormat.of();

  private SecretHashes() {}

  static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(byte[] hash) {
    return HEX.formatHex(hash);
  }

  static byte[] fromHex(String hex) {
    return HEX.parseHex(hex);
  }

  /**
   * Whether the hashes are equal, in time independent of where they differ ({@link
   * MessageDigest#isEqual} compares every byte). Never use {@code Arrays.equals} here.
   */
  static boolean matches(byte[] expected, byte[] presented) {
    return expected != null && presented != null && MessageDigest.isEqual(expected, presented);
  }
}
