package io.provisioninghub.contracts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The registry's Ed25519 signature over a record of {@code tenants.v1}, carried in record headers
 * so that {@link TenantSnapshot} itself does not change. A gateway applies a record only if the
 * signature verifies with one of the public keys it trusts: someone who can write to the topic but
 * does not hold the registry's private key cannot act as a tenant (docs/adr/0006).
 *
 * <p>Signed bytes: a domain prefix, the record key, and either the record value exactly as sent (a
 * snapshot) or the deletion instant (a tombstone, whose value is null). Binding the key stops a
 * valid snapshot of one tenant from being replayed under another tenant's key.
 */
public final class TenantRecordSignature {

  /** Which key signed: gateways hold several public keys while a key is rotated. */
  public static final String KEY_ID_HEADER = "phub-signature-key-id";

  /** The Ed25519 signature (64 raw bytes). */
  public static final String SIGNATURE_HEADER = "phub-signature";

  /** On a tombstone: when the registry deleted the tenant (ISO-8601), part of the signed bytes. */
  public static final String DELETED_AT_HEADER = "phub-deleted-at";

  private static final String ALGORITHM = "Ed25519";
  private static final byte[] SNAPSHOT_DOMAIN =
      "phub:tenants.v1:snapshot\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TOMBSTONE_DOMAIN =
      "phub:tenants.v1:tombstone\0".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private TenantRecordSignature() {}

  /** A signer for the registry: its private key and the id gateways know the public half by. */
  public record Signer(String keyId, PrivateKey privateKey) {

    public Signer {
      requireKeyId(keyId);
    }

    /** Headers for a snapshot record (value is the serialised snapshot). */
    public Map<String, byte[]> snapshotHeaders(String key, byte[] value) {
      return headers(sign(privateKey, signedBytes(key, value)));
    }

    /** Headers for a tombstone record (null value) of a tenant deleted at {@code deletedAt}. */
    public Map<String, byte[]> tombstoneHeaders(String key, Instant deletedAt) {
      Map<String, byte[]> headers =
          headers(sign(privateKey, signedTombstoneBytes(key, deletedAt.toString())));
      headers.put(DELETED_AT_HEADER, deletedAt.toString().getBytes(StandardCharsets.US_ASCII));
      return headers;
    }

    private Map<String, byte[]> headers(byte[] signature) {
      Map<String, byte[]> headers = new LinkedHashMap<>();
      headers.put(KEY_ID_HEADER, keyId.getBytes(StandardCharsets.US_ASCII));
      headers.put(SIGNATURE_HEADER, signature);
      return headers;
    }
  }

  /** The result of checking one record. */
  public sealed interface Verdict {
    /** The signature verifies; {@code deletedAt} is set for a tombstone. */
    record Valid(String keyId, Optional<Instant> deletedAt) implements Verdict {}

    /** Missing, from an unknown key, malformed or not matching: the record must not be applied. */
    record Invalid(String why) implements Verdict {}
  }

  /** A verifier for the gateways: every public key they trust, by key id. */
  public record Verifier(Map<String, PublicKey> publicKeys) {

    public Verifier {
      publicKeys = Map.copyOf(publicKeys);
    }

    /**
     * Checks one record of {@code tenants.v1}.
     *
     * @param header the last value of a header by name, or null
     */
    public Verdict verify(String key, byte[] value, Function<String, byte[]> header) {
      byte[] keyIdBytes = header.apply(KEY_ID_HEADER);
      byte[] signature = header.apply(SIGNATURE_HEADER);
      if (keyIdBytes == null || signature == null) {
        return new Verdict.Invalid("not signed");
      }
      String keyId = new String(keyIdBytes, StandardCharsets.US_ASCII);
      PublicKey publicKey = KEY_ID.matcher(keyId).matches() ? publicKeys.get(keyId) : null;
      if (publicKey == null) {
        return new Verdict.Invalid("signed with a key this gateway does not trust");
      }
      byte[] signed;
      Optional<Instant> deletedAt = Optional.empty();
      if (value == null) {
        byte[] at = header.apply(DELETED_AT_HEADER);
        if (at == null) {
          return new Verdict.Invalid("tombstone without its deletion time");
        }
        String text = new String(at, StandardCharsets.US_ASCII);
        try {
          deletedAt = Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
          return new Verdict.Invalid("tombstone with an unreadable deletion time");
        }
        signed = signedTombstoneBytes(key, text);
      } else {
        signed = signedBytes(key, value);
      }
      return verifies(publicKey, signed, signature)
          ? new Verdict.Valid(keyId, deletedAt)
          : new Verdict.Invalid("signature does not verify");
    }
  }

  /** A new Ed25519 key pair (tests, the local stack, an operator's first key). */
  public static KeyPair generateKeyPair() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
  }

  /** Base64 of the PKCS#8 encoding: the form the registry's configuration takes. */
  public static String encodePrivateKey(PrivateKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /** Base64 of the X.509 SubjectPublicKeyInfo encoding: the form gateways are configured with. */
  public static String encodePublicKey(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /** Reads base64 PKCS#8, or the same in a PEM "PRIVATE KEY" block (as {@code openssl} writes). */
  public static PrivateKey decodePrivateKey(String text) {
    try {
      return KeyFactory.getInstance(ALGORITHM)
          .generatePrivate(new PKCS8EncodedKeySpec(pemOrBase64(text)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "not an Ed25519 private key (base64 or PEM of PKCS#8 expected)", e);
    }
  }

  /** Reads base64 X.509 SubjectPublicKeyInfo, or the same in a PEM "PUBLIC KEY" block. */
  public static PublicKey decodePublicKey(String text) {
    try {
      return KeyFactory.getInstance(ALGORITHM)
          .generatePublic(new X509EncodedKeySpec(pemOrBase64(text)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "not an Ed25519 public key (base64 or PEM of SubjectPublicKeyInfo expected)", e);
    }
  }

  /**
   * The verifier a service builds from its setting of trusted keys ({@code keyId:base64} entries).
   * Empty only when no key is set and {@code optional} (dev and test mode, where a registry without
   * a key publishes unsigned records): the caller then applies records unchecked and should say so.
   *
   * @param property the setting's name, for the message when it is missing or malformed
   * @throws IllegalStateException when no key is set outside dev and test, or one is malformed
   */
  public static Optional<Verifier> configuredVerifier(
      List<String> entries, boolean optional, String property) {
    if (entries.stream().allMatch(String::isBlank)) {
      if (optional) {
        return Optional.empty();
      }
      throw new IllegalStateException(
          property
              + " ("
              + property.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_')
              + ") is not set: only tenant records the registry signed are applied. Set it to"
              + " keyId:base64 of the registry's Ed25519 public key (docs/security.md, 'Kafka:"
              + " authentication and ACLs').");
    }
    try {
      return Optional.of(new Verifier(parsePublicKeys(entries)));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(property + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses trusted public keys written as {@code keyId:base64}, one per entry (the form of {@code
   * phub.gateway.tenant-snapshots.public-keys}).
   */
  public static Map<String, PublicKey> parsePublicKeys(Iterable<String> entries) {
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    for (String entry : entries) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int colon = trimmed.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "a trusted public key is written keyId:base64, got an entry without a key id");
      }
      String keyId = trimmed.substring(0, colon);
      requireKeyId(keyId);
      if (keys.put(keyId, decodePublicKey(trimmed.substring(colon + 1))) != null) {
        throw new IllegalArgumentException("key id " + keyId + " is listed twice");
      }
    }
    return keys;
  }

  private static void requireKeyId(String keyId) {
    if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException(
          "a signing key id is 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
    }
  }

  private static byte[] pemOrBase64(String text) {
    String body = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }

  private static byte[] signedBytes(String key, byte[] value) {
    return concat(SNAPSHOT_DOMAIN, key, value);
  }

  private static byte[] signedTombstoneBytes(String key, String deletedAt) {
    return concat(TOMBSTONE_DOMAIN, key, deletedAt.getBytes(StandardCharsets.US_ASCII));
  }

  /** Domain, key, a zero byte (no tenant id holds one), then the rest. */
  private static byte[] concat(byte[] domain, String key, byte[] rest) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[domain.length + k.length + 1 + rest.length];
    System.arraycopy(domain, 0, out, 0, domain.length);
    System.arraycopy(k, 0, out, domain.length, k.length);
    out[domain.length + k.length] = 0;
    System.arraycopy(rest, 0, out, domain.length + k.length + 1, rest.length);
    return out;
  }

  private static byte[] sign(PrivateKey key, byte[] data) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a tenant record", e);
    }
  }

  private static boolean verifies(PublicKey key, byte[] data, byte[] signature) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(data);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
