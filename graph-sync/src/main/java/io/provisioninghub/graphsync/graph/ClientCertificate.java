package io.provisioninghub.graphsync.graph;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A certificate credential of an app registration: the certificate uploaded to Entra ID and its
 * private key. Tokens are asked for with a client assertion (RFC 7523) signed with the key and
 * naming the certificate by its SHA-1 thumbprint ({@code x5t}), as Entra ID's client credentials
 * flow takes it. The key is never logged; {@link #toString()} names the thumbprint only.
 */
public final class ClientCertificate {

  private static final int ASSERTION_SECONDS = 300;

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final String thumbprint;

  private ClientCertificate(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
    this.thumbprint = thumbprint(certificate);
  }

  /** A certificate's SHA-1 thumbprint as Entra ID shows it (upper-case hex). */
  public static String thumbprint(X509Certificate certificate) {
    try {
      return HexFormat.of()
          .withUpperCase()
          .formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Why a credential is not usable, in words an operator can act on. */
  public static class Unusable extends RuntimeException {
    Unusable(String message) {
      super(message);
    }
  }

  /**
   * The certificate (X.509, PEM) and its RSA private key (PKCS#8 PEM, unencrypted), checked: both
   * readable, the key the certificate's own, the certificate valid now.
   */
  public static ClientCertificate of(String certificatePem, String privateKeyPem) {
    X509Certificate certificate = certificate(certificatePem);
    PrivateKey key = privateKey(privateKeyPem);
    if (!(certificate.getPublicKey() instanceof RSAPublicKey)) {
      throw new Unusable("the certificate's key must be RSA");
    }
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature sign = Signature.getInstance("SHA256withRSA");
      sign.initSign(key);
      sign.update(probe);
      byte[] signature = sign.sign();
      Signature verify = Signature.getInstance("SHA256withRSA");
      verify.initVerify(certificate.getPublicKey());
      verify.update(probe);
      if (!verify.verify(signature)) {
        throw new Unusable("the private key is not the certificate's");
      }
    } catch (GeneralSecurityException e) {
      throw new Unusable("the private key is not the certificate's");
    }
    try {
      certificate.checkValidity();
    } catch (CertificateException e) {
      throw new Unusable(
          "the certificate is not valid now (valid "
              + certificate.getNotBefore().toInstant()
              + " to "
              + certificate.getNotAfter().toInstant()
              + ")");
    }
    return new ClientCertificate(certificate, key);
  }

  /** The certificate from its PEM, as stored (public; checked when it was set). */
  public static X509Certificate certificate(String pem) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(pem.strip().getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException | RuntimeException e) {
      throw new Unusable("certificate must be one X.509 certificate, PEM");
    }
  }

  private static PrivateKey privateKey(String pem) {
    String body = pem.strip();
    if (!body.startsWith("-----BEGIN PRIVATE KEY-----")
        || !body.endsWith("-----END PRIVATE KEY-----")) {
      throw new Unusable("privateKey must be an unencrypted PKCS#8 PEM (BEGIN PRIVATE KEY)");
    }
    try {
      byte[] der =
          Base64.getMimeDecoder()
              .decode(
                  body.substring(
                      "-----BEGIN PRIVATE KEY-----".length(),
                      body.length() - "-----END PRIVATE KEY-----".length()));
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new Unusable("privateKey must be an RSA private key, PKCS#8 PEM");
    }
  }

  /** The SHA-1 thumbprint as Entra ID shows it (upper-case hex). */
  public String thumbprint() {
    return thumbprint;
  }

  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  /** A client assertion for one token request to {@code tokenUrl}: five minutes, unique id. */
  String assertion(String clientId, String tokenUrl) {
    Instant now = Instant.now();
    byte[] sha1 = HexFormat.of().parseHex(thumbprint);
    return Jwt.issuer(clientId)
        .subject(clientId)
        .audience(tokenUrl)
        .claim("jti", UUID.randomUUID().toString())
        .claim("nbf", now.getEpochSecond())
        .issuedAt(now)
        .expiresAt(now.plusSeconds(ASSERTION_SECONDS))
        .jws()
        .algorithm(SignatureAlgorithm.RS256)
        .header("x5t", Base64.getUrlEncoder().withoutPadding().encodeToString(sha1))
        .sign(key);
  }

  @Override
  public String toString() {
    return "ClientCertificate[" + thumbprint + "]";
  }
}
