package io.provisioninghub.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The local OIDC provider's code flow as a relying party sees it, over HTTP. */
class LocalOidcTest {

  static final String REDIRECT = "http://127.0.0.1:1/console/operator";
  static final ObjectMapper JSON = new ObjectMapper();
  static LocalOidc oidc;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    oidc = LocalOidc.start(0, "phub-console", "s3cret");
  }

  @AfterAll
  static void stop() {
    oidc.close();
  }

  @Test
  void theCodeFlowIssuesASignedIdTokenWithTheTypedNameAndRoles() throws Exception {
    JsonNode discovery = get("/.well-known/openid-configuration");
    assertThat(discovery.get("issuer").asText()).isEqualTo(oidc.issuer());
    assertThat(discovery.get("authorization_endpoint").asText()).endsWith("/authorize");

    String loginPage =
        http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            oidc.issuer()
                                + "/authorize?response_type=code&client_id=phub-console&state=st"
                                + "&nonce=n1&scope=openid&redirect_uri="
                                + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(loginPage)
        .contains("<label for=\"username\">")
        .contains("value=\"provisioning-admin\"")
        .doesNotContain("<script")
        .doesNotContain("style=");

    HttpResponse<String> login =
        post(
            "/authorize",
            null,
            "client_id=phub-console&state=st&nonce=n1&username=alice&roles=provisioning-admin,support"
                + "&redirect_uri="
                + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8));
    assertThat(login.statusCode()).isEqualTo(302);
    String location = login.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(REDIRECT + "?code=").endsWith("&state=st");
    Matcher code = Pattern.compile("code=([^&]+)").matcher(location);
    assertThat(code.find()).isTrue();

    String basic =
        Base64.getEncoder().encodeToString("phub-console:s3cret".getBytes(StandardCharsets.UTF_8));
    String exchange =
        "grant_type=authorization_code&code="
            + code.group(1)
            + "&redirect_uri="
            + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8);
    HttpResponse<String> token = post("/token", basic, exchange);
    assertThat(token.statusCode()).isEqualTo(200);
    String idToken = JSON.readTree(token.body()).get("id_token").asText();
    JsonNode claims = verified(idToken, get("/jwks").get("keys").get(0));
    assertThat(claims.get("iss").asText()).isEqualTo(oidc.issuer());
    assertThat(claims.get("aud").asText()).isEqualTo("phub-console");
    assertThat(claims.get("preferred_username").asText()).isEqualTo("alice");
    assertThat(claims.get("nonce").asText()).isEqualTo("n1");
    assertThat(JSON.convertValue(claims.get("roles"), List.class))
        .isEqualTo(List.of("provisioning-admin", "support"));

    assertThat(post("/token", basic, exchange).statusCode()).as("a code works once").isEqualTo(400);
  }

  @Test
  void itRefusesAWrongSecretAndRedirectsOnlyToLoopback() throws Exception {
    String wrong =
        Base64.getEncoder().encodeToString("phub-console:nope".getBytes(StandardCharsets.UTF_8));
    assertThat(post("/token", wrong, "grant_type=authorization_code&code=x").statusCode())
        .isEqualTo(401);
    assertThat(
            post(
                    "/authorize",
                    null,
                    "client_id=phub-console&username=a&redirect_uri="
                        + URLEncoder.encode("https://example.org/cb", StandardCharsets.UTF_8))
                .statusCode())
        .isEqualTo(400);
  }

  JsonNode get(String path) throws Exception {
    return JSON.readTree(
        http.send(
                HttpRequest.newBuilder(URI.create(oidc.issuer() + path)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  HttpResponse<String> post(String path, String basic, String form) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(oidc.issuer() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (basic != null) {
      request.header("Authorization", "Basic " + basic);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode verified(String jwt, JsonNode jwk) throws Exception {
    String[] parts = jwt.split("\\.");
    Base64.Decoder b64 = Base64.getUrlDecoder();
    PublicKey key =
        KeyFactory.getInstance("RSA")
            .generatePublic(
                new RSAPublicKeySpec(
                    new BigInteger(1, b64.decode(jwk.get("n").asText())),
                    new BigInteger(1, b64.decode(jwk.get("e").asText()))));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initVerify(key);
    rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(rsa.verify(b64.decode(parts[2])))
        .as("signature verifies with the JWKS key")
        .isTrue();
    return JSON.readTree(b64.decode(parts[1]));
  }
}
