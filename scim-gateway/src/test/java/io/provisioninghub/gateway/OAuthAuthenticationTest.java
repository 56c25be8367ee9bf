package io.provisioninghub.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.TenantSnapshot.OAuthTrust;
import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.jwt.build.Jwt;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Entra-style OAuth JWTs verified by quarkus-oidc with each tenant's issuer, audience and keys from
 * the tenant view. The keys are served by a JWKS server on 127.0.0.1; no IdP is involved.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class OAuthAuthenticationTest {

  // Health is served on the management port, not on the SCIM port.
  @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
  java.net.URL ready;

  @jakarta.inject.Inject io.provisioninghub.gateway.auth.TenantView tenantView;

  static final String AUDIENCE = "api://provisioninghub";
  static final String TID_A = UUID.randomUUID().toString();
  static final String TID_B = UUID.randomUUID().toString();
  static final String ISSUER_A = "https://sts.windows.net/" + TID_A + "/";
  static final String ISSUER_B = "https://sts.windows.net/" + TID_B + "/";
  static final String TENANT_A = "oauth-a-" + TID_A.substring(0, 8);
  static final String TENANT_B = "oauth-b-" + TID_B.substring(0, 8);

  static KeyPair keysA;
  static KeyPair keysB;
  static HttpServer jwks;
  static boolean onboarded;
  static final AtomicInteger fetchesOfUnlistedKeys = new AtomicInteger();

  @BeforeAll
  static void startJwksServer() throws Exception {
    keysA = rsa();
    keysB = rsa();
    jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serve("/a/keys", keysA, "key-a");
    serve("/b/keys", keysB, "key-b");
    serve("/unlisted/keys", keysA, "key-a", fetchesOfUnlistedKeys);
    jwks.start();
  }

  @AfterAll
  static void stopJwksServer() {
    jwks.stop(0);
  }

  @BeforeEach
  void onboard() {
    await().atMost(Duration.ofSeconds(60)).until(() -> RestAssured.get(ready).statusCode() == 200);
    if (onboarded) {
      return;
    }
    publish(TENANT_A, 1, TenantStatus.ACTIVE, ISSUER_A, "/a/keys");
    publish(TENANT_B, 1, TenantStatus.ACTIVE, ISSUER_B, "/b/keys");
    String a = token(ISSUER_A, TID_A, AUDIENCE, keysA, "key-a", 300);
    String b = token(ISSUER_B, TID_B, AUDIENCE, keysB, "key-b", 300);
    await().atMost(Duration.ofSeconds(10)).until(() -> TestTenants.statusWith(a) == 404);
    await().atMost(Duration.ofSeconds(10)).until(() -> TestTenants.statusWith(b) == 404);
    onboarded = true;
  }

  @Test
  void tokenOfATenantsIssuerActsAsThatTenant() {
    String token = token(ISSUER_A, TID_A, AUDIENCE, keysA, "key-a", 300);
    String userName = "jwt-" + UUID.randomUUID() + "@contoso.com";
    try (TopicProbe commands =
        TopicProbe.open(Infrastructure.shared().kafka().bootstrapServers(), Topics.COMMANDS)) {
      given()
          .auth()
          .oauth2(token)
          .contentType("application/scim+json")
          .body(
              "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
                  + userName
                  + "\"}")
          .post("/scim/v2/Users")
          .then()
          .statusCode(503); // no processor in this test: published, then the bounded wait
      ConsumerRecord<String, byte[]> record =
          commands.awaitOne(r -> new String(r.value()).contains(userName), Duration.ofSeconds(10));
      ProvisioningCommand command = ContractJson.command(record.value());
      assertThat(command.tenantId()).isEqualTo(TENANT_A);
    }
  }

  @Test
  void tokenClaimingTenantBsIssuerButSignedByAsKeyIsRefused() {
    String forged = token(ISSUER_B, TID_B, AUDIENCE, keysA, "key-b", 300);

    assertThat(TestTenants.statusWith(forged)).isEqualTo(401);
  }

  @Test
  void wrongAudienceExpiredAndUnknownIssuerAreRefused() {
    assertThat(TestTenants.statusWith(token(ISSUER_A, TID_A, "api://other", keysA, "key-a", 300)))
        .as("audience")
        .isEqualTo(401);
    assertThat(TestTenants.statusWith(token(ISSUER_A, TID_A, AUDIENCE, keysA, "key-a", -600)))
        .as("expired")
        .isEqualTo(401);
    String unknownTid = UUID.randomUUID().toString();
    assertThat(
            TestTenants.statusWith(
                token(
                    "https://sts.windows.net/" + unknownTid + "/",
                    unknownTid,
                    AUDIENCE,
                    keysA,
                    "key-a",
                    300)))
        .as("issuer no tenant trusts")
        .isEqualTo(401);
    given()
        .auth()
        .oauth2("not.a.jwt")
        .get("/scim/v2/Users/not-a-uuid")
        .then()
        .statusCode(401)
        .body("status", equalTo("401"));
  }

  @Test
  void suspendedTenantsTokenIsRefusedWithinTwoSeconds() {
    String tid = UUID.randomUUID().toString();
    String issuer = "https://sts.windows.net/" + tid + "/";
    String tenant = "oauth-s-" + tid.substring(0, 8);
    publish(tenant, 1, TenantStatus.ACTIVE, issuer, "/a/keys");
    String token = token(issuer, tid, AUDIENCE, keysA, "key-a", 300);
    await().atMost(Duration.ofSeconds(10)).until(() -> TestTenants.statusWith(token) == 404);

    publish(tenant, 2, TenantStatus.SUSPENDED, issuer, "/a/keys");

    await().atMost(Duration.ofSeconds(2)).until(() -> TestTenants.statusWith(token) == 403);
  }

  // Time claims (phub.gateway.oauth.*; in tests max-token-age is PT2H, max-token-lifetime the
  // default PT24H, clock-skew PT60S). Each refusal is paired with a token just inside the limit.

  @Test
  void tokenWithoutIatIsRefused() {
    long now = Instant.now().getEpochSecond();
    assertThat(TestTenants.statusWith(signedByA(null, now + 300))).as("no iat").isEqualTo(401);
    assertThat(TestTenants.statusWith(signedByA(now - 60, now + 300)))
        .as("with iat")
        .isEqualTo(404);
  }

  @Test
  void tokenOlderThanTheMaximumAgeIsRefused() {
    long now = Instant.now().getEpochSecond();
    long threeHours = Duration.ofHours(3).toSeconds();
    long oneHour = Duration.ofHours(1).toSeconds();
    assertThat(TestTenants.statusWith(signedByA(now - threeHours, now + 300)))
        .as("issued 3 h ago, max age 2 h")
        .isEqualTo(401);
    assertThat(TestTenants.statusWith(signedByA(now - oneHour, now + 300)))
        .as("issued 1 h ago")
        .isEqualTo(404);
  }

  @Test
  void tokenValidForTenYearsIsRefused() {
    long now = Instant.now().getEpochSecond();
    long tenYears = Duration.ofDays(3653).toSeconds();
    long twentyThreeHours = Duration.ofHours(23).toSeconds();
    assertThat(TestTenants.statusWith(signedByA(now - 60, now + tenYears)))
        .as("exp ten years after iat")
        .isEqualTo(401);
    assertThat(TestTenants.statusWith(signedByA(now - 60, now + twentyThreeHours)))
        .as("exp 23 h after iat, max lifetime 24 h")
        .isEqualTo(404);
  }

  @Test
  void tokenIssuedInTheFutureBeyondTheClockSkewIsRefused() {
    long now = Instant.now().getEpochSecond();
    assertThat(TestTenants.statusWith(signedByA(now + 600, now + 3600)))
        .as("iat 10 min ahead")
        .isEqualTo(401);
    assertThat(TestTenants.statusWith(signedByA(now + 20, now + 3600)))
        .as("iat 20 s ahead, within the 60 s skew")
        .isEqualTo(404);
  }

  @Test
  void jwksHostNotOnTheAllowlistIsRefusedWithoutFetchingKeys() {
    // Same key server, same keys, named by a host that is not on the test allowlist (127.0.0.1).
    String tid = UUID.randomUUID().toString();
    String issuer = "https://sts.windows.net/" + tid + "/";
    String tenant = "oauth-u-" + tid.substring(0, 8);
    TestTenants.publish(
        new TenantSnapshot(
            tenant,
            1,
            tenant,
            null,
            TenantStatus.ACTIVE,
            new RateLimit(1000, 1000),
            new OAuthTrust(
                issuer,
                List.of(AUDIENCE),
                "http://localhost:" + jwks.getAddress().getPort() + "/unlisted/keys"),
            List.of(),
            Instant.now()));
    String token = token(issuer, tid, AUDIENCE, keysA, "key-a", 300);
    // Wait until the gateway knows the tenant: before, the token is refused for an unknown issuer.
    await().atMost(Duration.ofSeconds(10)).until(() -> tenantView.tenant(tenant).isPresent());

    assertThat(TestTenants.statusWith(token)).isEqualTo(401);
    assertThat(fetchesOfUnlistedKeys.get()).as("keys fetched from the unlisted host").isZero();
  }

  /** A token of tenant A with exactly these time claims ({@code iat} left out when null). */
  private static String signedByA(Long issuedAt, long expiresAt) {
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(ISSUER_A);
    claims.setAudience(AUDIENCE);
    claims.setSubject("entra-provisioning");
    claims.setClaim("tid", TID_A);
    if (issuedAt != null) {
      claims.setIssuedAt(NumericDate.fromSeconds(issuedAt));
    }
    claims.setExpirationTime(NumericDate.fromSeconds(expiresAt));
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setKey(keysA.getPrivate());
    jws.setKeyIdHeaderValue("key-a");
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    try {
      return jws.getCompactSerialization();
    } catch (JoseException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void publish(
      String tenant, long revision, TenantStatus status, String issuer, String keysPath) {
    String jwksUri = "http://127.0.0.1:" + jwks.getAddress().getPort() + keysPath;
    TestTenants.publish(
        new TenantSnapshot(
            tenant,
            revision,
            tenant,
            null,
            status,
            new RateLimit(1000, 1000),
            new OAuthTrust(issuer, List.of(AUDIENCE), jwksUri),
            List.of(),
            Instant.now()));
  }

  static String token(
      String issuer, String tid, String audience, KeyPair keys, String keyId, long ttlSeconds) {
    long now = Instant.now().getEpochSecond();
    return Jwt.issuer(issuer)
        .audience(audience)
        .subject("entra-provisioning")
        .claim("tid", tid)
        .issuedAt(now - 60)
        .expiresAt(now + ttlSeconds)
        .jws()
        .keyId(keyId)
        .sign(keys.getPrivate());
  }

  private static void serve(String path, KeyPair keys, String keyId) {
    serve(path, keys, keyId, new AtomicInteger());
  }

  private static void serve(String path, KeyPair keys, String keyId, AtomicInteger fetches) {
    RSAPublicKey key = (RSAPublicKey) keys.getPublic();
    String body =
        ContractJson.mapper()
            .valueToTree(
                Map.of(
                    "keys",
                    List.of(
                        Map.of(
                            "kty",
                            "RSA",
                            "use",
                            "sig",
                            "alg",
                            "RS256",
                            "kid",
                            keyId,
                            "n",
                            b64(key.getModulus()),
                            "e",
                            b64(key.getPublicExponent())))))
            .toString();
    jwks.createContext(
        path,
        exchange -> {
          fetches.incrementAndGet();
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
  }

  private static String b64(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }
}
