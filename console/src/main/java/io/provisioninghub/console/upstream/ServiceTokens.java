package io.provisioninghub.console.upstream;

import io.provisioninghub.console.ConsoleConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The short-lived bearer tokens the console signs for each call upstream, so the browser never
 * holds one: admin tokens for the registry (role {@value #ADMIN_ROLE}) and support tokens for the
 * audit log whose {@value #TENANTS_CLAIM} claim names only the session's tenant. Both keys are read
 * at start: a console that cannot sign does not start.
 */
@Singleton
@Startup
public class ServiceTokens {

  public static final String ADMIN_ROLE = "provisioning-admin";
  public static final String SUPPORT_ROLE = "support";
  public static final String TENANTS_CLAIM = "tenants";

  /** The audit log's role for reading its support access log. */
  public static final String AUDITOR_ROLE = "support-auditor";

  /** The subject of the admin token that redeems a setup link (no session exists yet). */
  public static final String SETUP_LINK_SUBJECT = "console:setup-link";

  private final PrivateKey adminKey;
  private final PrivateKey supportKey;
  private final ConsoleConfig.Issuer admin;
  private final ConsoleConfig.Issuer support;
  private final Duration ttl;

  @Inject
  public ServiceTokens(ConsoleConfig config) {
    this(
        readPrivateKey(config.adminSigningKeyLocation(), "phub.console.admin-signing-key-location"),
        readPrivateKey(
            config.supportSigningKeyLocation(), "phub.console.support-signing-key-location"),
        config.admin(),
        config.support(),
        config.serviceTokenTtl());
  }

  ServiceTokens(
      PrivateKey adminKey,
      PrivateKey supportKey,
      ConsoleConfig.Issuer admin,
      ConsoleConfig.Issuer support,
      Duration ttl) {
    this.adminKey = adminKey;
    this.supportKey = supportKey;
    this.admin = admin;
    this.support = support;
    this.ttl = ttl;
  }

  /** An admin token for the registry, naming who it acts for in {@code sub} and {@code upn}. */
  public String admin(String subject) {
    return sign(adminKey, admin, subject, Set.of(ADMIN_ROLE), null);
  }

  /** A support token for the audit log that may read exactly this one tenant. */
  public String support(String subject, String tenantId) {
    return sign(supportKey, support, subject, Set.of(SUPPORT_ROLE), List.of(tenantId));
  }

  /**
   * A support token that may read the audit log's support access log (role {@value #AUDITOR_ROLE})
   * and no tenant's operations.
   */
  public String auditor(String subject) {
    return sign(supportKey, support, subject, Set.of(AUDITOR_ROLE), List.of());
  }

  private String sign(
      PrivateKey key,
      ConsoleConfig.Issuer issuer,
      String subject,
      Set<String> roles,
      List<String> tenants) {
    Instant now = Instant.now();
    var claims =
        Jwt.issuer(issuer.issuer())
            .audience(issuer.audience())
            .subject(subject)
            .upn(subject)
            .groups(roles)
            .issuedAt(now.getEpochSecond())
            .expiresAt(now.plus(ttl).getEpochSecond())
            .claim("jti", UUID.randomUUID().toString());
    if (tenants != null) {
      claims.claim(TENANTS_CLAIM, tenants);
    }
    var signature = claims.jws().algorithm(SignatureAlgorithm.RS256);
    issuer.keyId().ifPresent(signature::keyId);
    return signature.sign(key);
  }

  /** A PKCS#8 PEM RSA private key, as {@code openssl genpkey} writes it. */
  static PrivateKey readPrivateKey(Path pem, String setting) {
    String text;
    try {
      text = Files.readString(pem);
    } catch (IOException e) {
      throw new IllegalStateException(setting + ": cannot read " + pem, e);
    }
    try {
      return KeyUtils.decodePrivateKey(text);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          setting + ": " + pem + " is not a PKCS#8 PEM RSA private key", e);
    }
  }
}
