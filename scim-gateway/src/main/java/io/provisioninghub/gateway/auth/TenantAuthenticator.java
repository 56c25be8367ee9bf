package io.provisioninghub.gateway.auth;

import io.provisioninghub.gateway.GatewayConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a bearer secret to its tenant without any network call. Secrets are kept only as SHA-256
 * hashes; the presented secret is hashed and the hashes compared in constant time.
 */
@ApplicationScoped
public class TenantAuthenticator {

  /**
   * The token the dev and test profiles use. Public knowledge, so prod refuses to start with it.
   */
  public static final String WELL_KNOWN_DEV_TOKEN = "dev-scim-token-not-for-production";

  private static final int MIN_PROD_TOKEN_LENGTH = 32;

  private final Map<String, Entry> byHash = new HashMap<>();

  private record Entry(byte[] hash, Tenant tenant) {}

  public TenantAuthenticator(GatewayConfig config) {
    config
        .staticTokens()
        .forEach(
            (tenantId, token) -> {
              byte[] hash = sha256(token);
              byHash.put(hex(hash), new Entry(hash, new Tenant(tenantId)));
            });
  }

  void refuseDevTokenInProd(@Observes StartupEvent event, GatewayConfig config) {
    if (LaunchMode.current() != LaunchMode.NORMAL) {
      return;
    }
    config
        .staticTokens()
        .forEach(
            (tenantId, token) -> {
              if (WELL_KNOWN_DEV_TOKEN.equals(token) || token.length() < MIN_PROD_TOKEN_LENGTH) {
                throw new IllegalStateException(
                    "refusing to start: the static token of tenant '"
                        + tenantId
                        + "' is the well-known dev token or shorter than "
                        + MIN_PROD_TOKEN_LENGTH
                        + " characters");
              }
            });
  }

  public Optional<Tenant> authenticate(String bearerSecret) {
    if (bearerSecret == null || bearerSecret.isEmpty()) {
      return Optional.empty();
    }
    byte[] presented = sha256(bearerSecret);
    Entry entry = byHash.get(hex(presented));
    if (entry == null || !MessageDigest.isEqual(entry.hash(), presented)) {
      return Optional.empty();
    }
    return Optional.of(entry.tenant());
  }

  private static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return sb.toString();
  }
}
