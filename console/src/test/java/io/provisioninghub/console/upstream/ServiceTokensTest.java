package io.provisioninghub.console.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.console.ConsoleConfig;
import io.provisioninghub.console.TestJwts;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

class ServiceTokensTest {

  static final KeyPair ADMIN = generate();
  static final KeyPair SUPPORT = generate();

  static ConsoleConfig.Issuer issuer(String name, String audience, String keyId) {
    return new ConsoleConfig.Issuer() {
      @Override
      public String issuer() {
        return name;
      }

      @Override
      public String audience() {
        return audience;
      }

      @Override
      public Optional<String> keyId() {
        return Optional.ofNullable(keyId);
      }
    };
  }

  final ServiceTokens tokens =
      new ServiceTokens(
          ADMIN.getPrivate(),
          SUPPORT.getPrivate(),
          issuer("admin-issuer", "admin-api", null),
          issuer("support-issuer", "support-api", "console-support-1"),
          Duration.ofMinutes(5));

  @Test
  void anAdminTokenHasTheAdminRoleAndNoTenants() throws Exception {
    String token = tokens.admin("console:customer:contoso");
    JwtClaims claims = TestJwts.verified(token, ADMIN.getPublic());
    assertThat(claims.getIssuer()).isEqualTo("admin-issuer");
    assertThat(claims.getAudience()).containsExactly("admin-api");
    assertThat(claims.getSubject()).isEqualTo("console:customer:contoso");
    assertThat(claims.getClaimValue("upn")).isEqualTo("console:customer:contoso");
    assertThat(claims.getClaimValue("groups")).isEqualTo(List.of("provisioning-admin"));
    assertThat(claims.hasClaim("tenants")).isFalse();
    assertThat(header(token)).doesNotContain("\"kid\"");
  }

  @Test
  void aSupportTokenMayReadExactlyOneTenantAndNamesItsKey() throws Exception {
    String token = tokens.support("console:customer:contoso", "contoso");
    JwtClaims claims = TestJwts.verified(token, SUPPORT.getPublic());
    assertThat(claims.getClaimValue("tenants")).isEqualTo(List.of("contoso"));
    assertThat(claims.getClaimValue("groups")).isEqualTo(List.of("support"));
    assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue())
        .isEqualTo(300);
    assertThat(claims.getJwtId()).isNotBlank();
    assertThat(header(token)).contains("\"kid\":\"console-support-1\"");
  }

  @Test
  void eachKeySignsOnlyItsOwnTokens() {
    String support = tokens.support("console:customer:contoso", "contoso");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> TestJwts.verified(support, ADMIN.getPublic()))
        .isInstanceOf(AssertionError.class);
  }

  private static String header(String token) {
    return new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
