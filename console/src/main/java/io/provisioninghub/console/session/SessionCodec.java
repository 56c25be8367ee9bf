package io.provisioninghub.console.session;

import io.provisioninghub.console.ConsoleConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.algorithm.ContentEncryptionAlgorithm;
import io.smallrye.jwt.algorithm.KeyEncryptionAlgorithm;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * Seals a {@link CustomerSession} into a cookie value and opens it again: a JWT signed with
 * HMAC-SHA256 inside a JWE encrypted with AES-256-GCM ({@code dir}), both keys derived from {@code
 * phub.console.session-key}. The browser can neither read nor change it; an altered, expired or
 * foreign value opens to nothing. Made at start, so a bad key stops the console there and a missing
 * one is warned about at once.
 */
@Singleton
@Startup
public class SessionCodec {

  private static final Logger LOG = Logger.getLogger(SessionCodec.class);
  private static final String ISSUER = "provisioninghub-console";
  private static final String AUDIENCE = "provisioninghub-console-session";

  private final SecretKey encryptionKey;
  private final SecretKey signingKey;
  private final String signInStateSecret;

  @Inject
  public SessionCodec(ConsoleConfig config) {
    this(masterKey(config.sessionKey()));
  }

  /** A codec with this 32-byte master key. */
  public SessionCodec(byte[] masterKey) {
    if (masterKey.length != 32) {
      throw new IllegalArgumentException("the session key must be 32 bytes");
    }
    this.encryptionKey = new SecretKeySpec(derive(masterKey, "session-encryption"), "AES");
    this.signingKey = new SecretKeySpec(derive(masterKey, "session-signature"), "HmacSHA256");
    this.signInStateSecret =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(derive(masterKey, "customer-sign-in-state"));
  }

  /**
   * The secret that encrypts the state (PKCE verifier, nonce) and the short OIDC session of a
   * customer's sign-in: derived from the session key, so every instance of the console shares it.
   */
  public String signInStateSecret() {
    return signInStateSecret;
  }

  /** The cookie value of this session. */
  public String seal(CustomerSession session) {
    var claims =
        Jwt.issuer(ISSUER)
            .audience(AUDIENCE)
            .subject(session.tenantId())
            .claim("name", session.displayName())
            .issuedAt(session.issuedAt().getEpochSecond())
            .expiresAt(session.expiresAt().getEpochSecond());
    if (session.linkId() != null) {
      claims.claim("link", session.linkId());
    }
    if (session.signedInAs() != null) {
      claims.claim("user", session.signedInAs());
    }
    return claims
        .jws()
        .algorithm(SignatureAlgorithm.HS256)
        .innerSign(signingKey)
        .keyAlgorithm(KeyEncryptionAlgorithm.DIR)
        .contentAlgorithm(ContentEncryptionAlgorithm.A256GCM)
        .encrypt(encryptionKey);
  }

  /** The session in this cookie value, or empty if it is missing, altered, foreign or expired. */
  public Optional<CustomerSession> open(String value) {
    if (value == null || value.isBlank() || value.length() > 4096) {
      return Optional.empty();
    }
    JwtConsumer consumer =
        new JwtConsumerBuilder()
            .setDecryptionKey(encryptionKey)
            .setVerificationKey(signingKey)
            .setJweAlgorithmConstraints(
                new AlgorithmConstraints(
                    ConstraintType.PERMIT, KeyManagementAlgorithmIdentifiers.DIRECT))
            .setJweContentEncryptionAlgorithmConstraints(
                new AlgorithmConstraints(
                    ConstraintType.PERMIT, ContentEncryptionAlgorithmIdentifiers.AES_256_GCM))
            .setJwsAlgorithmConstraints(
                new AlgorithmConstraints(ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256))
            .setEnableRequireEncryption()
            .setEnableRequireIntegrity()
            .setRequireExpirationTime()
            .setRequireIssuedAt()
            .setRequireSubject()
            .setExpectedIssuer(ISSUER)
            .setExpectedAudience(AUDIENCE)
            .build();
    try {
      JwtClaims claims = consumer.processToClaims(value);
      return Optional.of(
          new CustomerSession(
              claims.getSubject(),
              claims.getStringClaimValue("name"),
              claims.getStringClaimValue("link"),
              claims.getStringClaimValue("user"),
              Instant.ofEpochSecond(claims.getIssuedAt().getValue()),
              Instant.ofEpochSecond(claims.getExpirationTime().getValue())));
    } catch (InvalidJwtException | MalformedClaimException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static byte[] masterKey(Optional<String> configured) {
    if (configured.isPresent() && !configured.get().isBlank()) {
      byte[] key;
      try {
        key = Base64.getDecoder().decode(configured.get().trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("phub.console.session-key is not base64", e);
      }
      if (key.length != 32) {
        throw new IllegalStateException(
            "phub.console.session-key must be base64 of 32 bytes (openssl rand -base64 32)");
      }
      return key;
    }
    LOG.warn(
        "phub.console.session-key is not set: sessions are sealed with a random key made at"
            + " start, so they end when this instance restarts and do not work across instances");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  /** One key per purpose from the master key (HMAC-SHA256 of the purpose's name). */
  private static byte[] derive(byte[] master, String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(master, "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
