package io.provisioninghub.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Admin bearer tokens for the tenant registry where no OIDC server exists (tests, local stack): an
 * RS256 JWT with the role {@code provisioning-admin} in {@code groups} and the admin API's
 * audience, signed by a local key whose public half the registry is configured with. The same key
 * can also sign support tokens (audience of the audit-log support API) for tests that start both.
 *
 * <p>Usage from a shell: {@code AdminTokens <private-key.pem> [ttl-hours] [admin|app]} prints a
 * token (at most {@link #MAX_TTL} long: the services refuse older tokens): an admin token, or with
 * {@code app} a token of the vendor's application for the gateway's read API ({@code /app/v1}).
 */
public final class AdminTokens {

  /** The issuer the local stack and the tests configure the registry with. */
  public static final String ISSUER = "provisioninghub-local-admin";

  public static final String ADMIN_ROLE = "provisioning-admin";

  /** The audience the registry requires ({@code quarkus.oidc.token.audience}). */
  public static final String ADMIN_AUDIENCE = "provisioninghub-admin-api";

  /** The audience the audit-log support API requires ({@code mp.jwt.verify.audiences}). */
  public static final String SUPPORT_AUDIENCE = "provisioninghub-support-api";

  /** The issuer and audience the gateway's application read API accepts by default. */
  public static final String APP_ISSUER = "provisioninghub-app";

  public static final String APP_AUDIENCE = "provisioninghub-app-api";

  public static final String APP_ROLE = "provisioning-app";

  /** The longest token the services accept (their maximum token age). */
  public static final Duration MAX_TTL = Duration.ofHours(12);

  private final KeyPair keys;

  private AdminTokens(KeyPair keys) {
    this.keys = keys;
  }

  /** A fresh RSA key pair, kept in memory only. */
  public static AdminTokens generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return new AdminTokens(generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The registry configuration that makes it trust these tokens (public key and issuer). */
  public Map<String, String> registryConfig() {
    return Map.of(
        "quarkus.oidc.public-key",
        Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()),
        "quarkus.oidc.token.issuer",
        ISSUER);
  }

  /** An admin-API token with the given roles, valid for {@code ttl}. */
  public String token(Duration ttl, String... roles) {
    return sign(keys.getPrivate(), ADMIN_AUDIENCE, "operator", ttl, roles);
  }

  /** A support-API token for every tenant (roles support and support-all-tenants). */
  public String supportToken(Duration ttl) {
    return sign(
        keys.getPrivate(),
        SUPPORT_AUDIENCE,
        "support-agent",
        ttl,
        "support",
        "support-all-tenants");
  }

  /** A token with the admin role, valid for an hour. */
  public String adminToken() {
    return token(Duration.ofHours(1), ADMIN_ROLE);
  }

  static String sign(
      PrivateKey key, String audience, String subject, Duration ttl, String... roles) {
    return sign(key, ISSUER, audience, subject, ttl, roles);
  }

  static String sign(
      PrivateKey key,
      String issuer,
      String audience,
      String subject,
      Duration ttl,
      String... roles) {
    long now = Instant.now().getEpochSecond();
    StringBuilder groups = new StringBuilder();
    for (String role : roles) {
      groups.append(groups.length() == 0 ? "" : ",").append('"').append(role).append('"');
    }
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String claims =
        "{\"iss\":\""
            + issuer
            + "\",\"aud\":\""
            + audience
            + "\",\"sub\":\""
            + subject
            + "\",\"groups\":["
            + groups
            + "],\"iat\":"
            + now
            + ",\"exp\":"
            + (now + ttl.toSeconds())
            + "}";
    String signingInput = b64(header) + "." + b64(claims);
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key);
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput
          + "."
          + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a PKCS#8 PEM private key ({@code openssl genpkey} writes this form). */
  static PrivateKey readPrivateKey(Path pem) {
    try {
      String body =
          Files.readString(pem)
              .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
              .replaceAll("\\s", "");
      return KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(pem + " is not a PKCS#8 RSA private key", e);
    }
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  public static void main(String[] args) {
    if (args.length < 1 || (args.length > 2 && !List.of("admin", "app").contains(args[2]))) {
      System.err.println("usage: AdminTokens <private-key.pem> [ttl-hours] [admin|app]");
      System.exit(2);
    }
    long hours = args.length > 1 ? Long.parseLong(args[1]) : MAX_TTL.toHours();
    if (hours < 1 || hours > MAX_TTL.toHours()) {
      System.err.println("ttl-hours must be 1-" + MAX_TTL.toHours());
      System.exit(2);
    }
    boolean app = args.length > 2 && args[2].equals("app");
    System.out.println(
        app
            ? sign(
                readPrivateKey(Path.of(args[0])),
                APP_ISSUER,
                APP_AUDIENCE,
                "local-application",
                Duration.ofHours(hours),
                APP_ROLE)
            : sign(
                readPrivateKey(Path.of(args[0])),
                ADMIN_AUDIENCE,
                "local-operator",
                Duration.ofHours(hours),
                ADMIN_ROLE));
  }
}
