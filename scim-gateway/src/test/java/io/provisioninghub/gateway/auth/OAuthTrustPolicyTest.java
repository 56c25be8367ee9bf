package io.provisioninghub.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.contracts.TenantSnapshot.OAuthTrust;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which issuers and JWKS locations the gateway follows, in production and in dev/test mode. */
class OAuthTrustPolicyTest {

  static final List<String> DEFAULT_ALLOWLIST =
      List.of("login.microsoftonline.com", "login.windows.net", "sts.windows.net", "*.okta.com");

  final OAuthTrustPolicy production = new OAuthTrustPolicy(DEFAULT_ALLOWLIST, false);
  final OAuthTrustPolicy devOrTest =
      new OAuthTrustPolicy(List.of("login.microsoftonline.com", "127.0.0.1", " localhost "), true);

  static OAuthTrust trust(String issuer, String jwks) {
    return new OAuthTrust(issuer, List.of("api://phub"), jwks);
  }

  @Test
  void entraAndOktaAreFollowedInProduction() {
    assertThat(
            production.refusal(
                trust(
                    "https://sts.windows.net/72f988bf-0000-0000-0000-000000000000/",
                    "https://login.microsoftonline.com/common/discovery/v2.0/keys")))
        .isEmpty();
    assertThat(
            production.refusal(
                trust("https://contoso.okta.com", "https://contoso.okta.com/oauth2/v1/keys")))
        .isEmpty();
  }

  @Test
  void httpIssuerOrJwksIsRefusedInProduction() {
    assertThat(
            production.refusal(
                trust(
                    "http://sts.windows.net/tid/",
                    "https://login.microsoftonline.com/common/discovery/v2.0/keys")))
        .get()
        .asString()
        .contains("issuer must use https");
    assertThat(
            production.refusal(
                trust(
                    "https://sts.windows.net/tid/",
                    "http://login.microsoftonline.com/common/discovery/v2.0/keys")))
        .get()
        .asString()
        .contains("JWKS location must use https");
  }

  @Test
  void loopbackIssuerOrJwksIsRefusedInProductionEvenIfAllowlisted() {
    OAuthTrustPolicy careless =
        new OAuthTrustPolicy(List.of("127.0.0.1", "localhost", "[::1]", "::1"), false);
    for (String host : List.of("127.0.0.1", "127.8.9.10", "localhost", "[::1]", "0.0.0.0")) {
      assertThat(careless.refusal(trust("https://" + host + "/issuer", "https://" + host + "/k")))
          .as(host)
          .get()
          .asString()
          .contains("names this machine");
    }
    assertThat(
            production.refusal(
                trust(
                    "https://sts.windows.net/tid/", "https://localhost:8443/discovery/v2.0/keys")))
        .get()
        .asString()
        .contains("JWKS location names this machine");
  }

  @Test
  void httpAndLoopbackAreFollowedInDevAndTestMode() {
    assertThat(devOrTest.refusal(trust("http://127.0.0.1:9000/", "http://127.0.0.1:9000/keys")))
        .isEmpty();
    assertThat(devOrTest.refusal(trust("http://localhost/", "http://localhost:9000/keys")))
        .isEmpty();
  }

  @Test
  void jwksHostOffTheAllowlistIsRefusedInEveryMode() {
    assertThat(
            production.refusal(
                trust("https://sts.windows.net/tid/", "https://keys.attacker.example/keys")))
        .get()
        .asString()
        .contains("keys.attacker.example is not on phub.gateway.oauth.jwks-host-allowlist");
    assertThat(devOrTest.refusal(trust("http://127.0.0.1/", "http://127.0.0.2:9000/keys")))
        .isPresent();
  }

  @Test
  void aWildcardMatchesSubdomainsOnly() {
    String issuer = "https://contoso.okta.com";
    assertThat(production.refusal(trust(issuer, "https://a.b.okta.com/keys"))).isEmpty();
    assertThat(production.refusal(trust(issuer, "https://CONTOSO.OKTA.COM/keys"))).isEmpty();
    assertThat(production.refusal(trust(issuer, "https://okta.com/keys"))).isPresent();
    assertThat(production.refusal(trust(issuer, "https://evilokta.com/keys"))).isPresent();
    assertThat(production.refusal(trust(issuer, "https://okta.com.evil.example/keys"))).isPresent();
  }

  @Test
  void malformedLocationsAreRefused() {
    String jwks = "https://login.microsoftonline.com/common/discovery/v2.0/keys";
    assertThat(production.refusal(trust("not a url", jwks))).isPresent();
    assertThat(production.refusal(trust("/relative", jwks))).isPresent();
    assertThat(production.refusal(trust("ftp://sts.windows.net/tid/", jwks))).isPresent();
    assertThat(
            production.refusal(
                trust(
                    "https://sts.windows.net/tid/",
                    "https://user:pw@login.microsoftonline.com/keys")))
        .get()
        .asString()
        .contains("user information");
  }
}
