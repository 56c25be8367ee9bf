package io.provisioninghub.registry.signin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.TenantPurged;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.registry.AdminKeysTestResource;
import io.provisioninghub.registry.CapturedLog;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console sign-in settings through the admin API, against the real database: set, read without
 * the secret, the secret sealed in the table and only opened for the console's own token,
 * validation answered 400, and the row gone with its tenant.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(AdminKeysTestResource.class)
class ConsoleSignInApiTest {

  private static final String TYPE = "urn:provisioninghub:problem:";
  private static final String SECRET = "entra~Secret.Value_0123456789abcdef";

  static CapturedLog log;

  @BeforeAll
  static void open() {
    log = CapturedLog.start();
  }

  @AfterAll
  static void close() {
    log.stop();
  }

  @Test
  void setReadReplaceAndRemoveWithoutEverShowingTheSecret() throws SQLException {
    String tenant = createTenant("Contoso");
    String body = settings("https://login.microsoftonline.com/tid-1/v2.0", "client-1", SECRET);
    Response set = admin().body(body).put(signIn(tenant));
    set.then()
        .statusCode(200)
        .body("tenantId", equalTo(tenant))
        .body("issuer", equalTo("https://login.microsoftonline.com/tid-1/v2.0"))
        .body("clientId", equalTo("client-1"))
        .body("clientSecretSet", equalTo(true))
        .body("requiredClaim.name", equalTo("roles"))
        .body("requiredClaim.values", equalTo(List.of("Provisioning.Admin")))
        .body("createdBy", equalTo("operator@vendor.example"));
    assertThat(set.asString()).doesNotContain(SECRET);
    assertThat(set.jsonPath().getMap("")).doesNotContainKey("clientSecret");

    Response got = admin().get(signIn(tenant));
    got.then().statusCode(200).body("clientId", equalTo("client-1"));
    assertThat(got.asString()).doesNotContain(SECRET);

    // At rest only the sealed secret: not the plaintext, and not readable as text.
    byte[] sealed = sealedSecret(tenant);
    assertThat(sealed).isNotNull();
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
    assertThat(sealed.length).isGreaterThan(SECRET.length());

    // The console's own read opens it; the session's tenant token or an operator's does not.
    console(tenant)
        .then()
        .statusCode(200)
        .header("Cache-Control", "no-store")
        .body("clientSecret", equalTo(SECRET))
        .body("displayName", equalTo("Contoso"))
        .body("requiredClaim.name", equalTo("roles"));
    admin().get(signIn(tenant) + "/client").then().statusCode(403);
    given()
        .auth()
        .oauth2(AdminKeysTestResource.adminTokenAs("console:customer:" + tenant))
        .get(signIn(tenant) + "/client")
        .then()
        .statusCode(403);

    // Replaced without a secret: the secret stays; without a claim: none required.
    admin()
        .body("{\"issuer\":\"https://idp.example.com/tenant\",\"clientId\":\"client-2\"}")
        .put(signIn(tenant))
        .then()
        .statusCode(200)
        .body("clientId", equalTo("client-2"))
        .body("requiredClaim", nullValue());
    console(tenant)
        .then()
        .statusCode(200)
        .body("clientSecret", equalTo(SECRET))
        .body("issuer", equalTo("https://idp.example.com/tenant"));

    admin().delete(signIn(tenant)).then().statusCode(204);
    admin()
        .get(signIn(tenant))
        .then()
        .statusCode(404)
        .body("type", equalTo(TYPE + "console-sign-in-not-configured"));
    console(tenant).then().statusCode(404);
    admin().delete(signIn(tenant)).then().statusCode(404);

    JsonPath changes =
        admin()
            .queryParam("tenant", tenant)
            .get("/admin/v1/changes")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(changes.getList("items.action", String.class))
        .containsExactly(
            "console-sign-in.remove",
            "console-sign-in.set",
            "console-sign-in.set",
            "tenant.create");
    assertThat(changes.prettify()).doesNotContain(SECRET);
    assertThat(log.lines()).noneMatch(line -> line.contains(SECRET));
    assertThat(log.lines())
        .anyMatch(line -> line.contains(tenant) && line.contains("console sign-in set"));
  }

  @Test
  void aTenantWithoutSettingsOrUnknownIs404() {
    String tenant = createTenant("Unconfigured");
    admin().get(signIn(tenant)).then().statusCode(404);
    admin()
        .body(settings("https://idp.example.com", "c", SECRET))
        .put(signIn("no-such-tenant"))
        .then()
        .statusCode(404)
        .body("detail", containsString("no tenant"));
  }

  @Test
  void badInputIs400WithAProblemAndStoresNothing() throws SQLException {
    String tenant = createTenant("Validating");
    List<String> bodies =
        List.of(
            "",
            "not json",
            "{}",
            "{\"issuer\":\"http://idp.example.com\",\"clientId\":\"c\",\"clientSecret\":\"s\"}",
            "{\"issuer\":\"ftp://idp.example.com\",\"clientId\":\"c\",\"clientSecret\":\"s\"}",
            "{\"issuer\":\"not a url\",\"clientId\":\"c\",\"clientSecret\":\"s\"}",
            "{\"issuer\":\"https://idp.example.com/?x=1\",\"clientId\":\"c\",\"clientSecret\":\"s\"}",
            "{\"issuer\":\"https://idp.example.com\",\"clientId\":\"\",\"clientSecret\":\"s\"}",
            "{\"issuer\":\"https://idp.example.com\",\"clientId\":\"c\"}",
            "{\"issuer\":\"https://idp.example.com\",\"clientId\":\"c\",\"clientSecret\":\" \"}",
            "{\"issuer\":\"https://idp.example.com\",\"clientId\":\"c\",\"clientSecret\":\"s\","
                + "\"requiredClaim\":{\"name\":\"roles\",\"values\":[]}}",
            "{\"issuer\":\"https://idp.example.com\",\"clientId\":\"c\",\"clientSecret\":\"s\","
                + "\"requiredClaim\":{\"name\":\"a b\",\"values\":[\"x\"]}}",
            "{\"issuer\":\"https://idp.example.com\",\"clientId\":\"c\",\"clientSecret\":\"s\","
                + "\"requiredClaim\":{\"values\":[\"x\"]}}",
            "{\"issuer\":\"https://idp.example.com\",\"clientId\":\"c\",\"clientSecret\":\"s\","
                + "\"requiredClaim\":\"roles\"}",
            "{\"issuer\":42,\"clientId\":[1],\"clientSecret\":\"s\"}");
    for (String body : bodies) {
      admin()
          .body(body)
          .put(signIn(tenant))
          .then()
          .statusCode(400)
          .body("status", equalTo(400))
          .body("title", equalTo("Bad Request"));
    }
    assertThat(sealedSecret(tenant)).isNull();
    // A loopback identity provider over plain http is accepted (tests, the local stack).
    admin()
        .body(settings("http://127.0.0.1:9999/realms/a", "c", SECRET))
        .put(signIn(tenant))
        .then()
        .statusCode(200);
  }

  @Test
  void onlyAdminsSetOrReadTheSettings() {
    String tenant = createTenant("Guarded");
    given()
        .contentType("application/json")
        .body(settings("https://idp.example.com", "c", SECRET))
        .put(signIn(tenant))
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2(AdminKeysTestResource.token("support"))
        .get(signIn(tenant))
        .then()
        .statusCode(403);
    given().get(signIn(tenant) + "/client").then().statusCode(401);
  }

  @Test
  void theSettingsGoWithTheirTenant() throws SQLException {
    String tenant = createTenant("Leaving");
    admin()
        .body(settings("https://idp.example.com", "c", SECRET))
        .put(signIn(tenant))
        .then()
        .statusCode(200);
    Instant createdAt = Instant.parse(admin().get("/admin/v1/tenants/" + tenant).path("createdAt"));
    admin().delete("/admin/v1/tenants/" + tenant).then().statusCode(202);
    // Being deleted: no more sign-ins.
    console(tenant).then().statusCode(409).body("type", equalTo(TYPE + "tenant-not-active"));

    TopicProbe.send(
        Infrastructure.shared().kafka().bootstrapServers(),
        Topics.TENANT_PURGES,
        tenant,
        ContractJson.toBytes(new TenantPurged(tenant, createdAt, Instant.now(), 0)),
        new org.apache.kafka.common.header.internals.RecordHeaders());
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> admin().get("/admin/v1/tenants/" + tenant).statusCode() == 404);
    assertThat(count(tenant)).isZero();
    console(tenant).then().statusCode(404);
  }

  private static String settings(String issuer, String clientId, String secret) {
    return "{\"issuer\":\""
        + issuer
        + "\",\"clientId\":\""
        + clientId
        + "\",\"clientSecret\":\""
        + secret
        + "\",\"requiredClaim\":{\"name\":\"roles\",\"values\":[\"Provisioning.Admin\"]}}";
  }

  private static Response console(String tenant) {
    return given()
        .auth()
        .oauth2(AdminKeysTestResource.adminTokenAs(ConsoleSignInService.CONSOLE_SUBJECT))
        .get(signIn(tenant) + "/client");
  }

  private static String signIn(String tenant) {
    return "/admin/v1/tenants/" + tenant + "/console-sign-in";
  }

  private static RequestSpecification admin() {
    return given()
        .auth()
        .oauth2(AdminKeysTestResource.token("provisioning-admin"))
        .contentType("application/json");
  }

  private static String createTenant(String displayName) {
    String id = "cs-" + UUID.randomUUID().toString().substring(0, 13);
    admin()
        .body("{\"id\":\"" + id + "\",\"displayName\":\"" + displayName + "\"}")
        .post("/admin/v1/tenants")
        .then()
        .statusCode(201);
    return id;
  }

  private static byte[] sealedSecret(String tenant) throws SQLException {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement ps =
            c.prepareStatement(
                "select client_secret_sealed from tenant_registry.console_sign_in"
                    + " where tenant_id = ?")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getBytes(1) : null;
      }
    }
  }

  private static long count(String tenant) throws SQLException {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement ps =
            c.prepareStatement(
                "select count(*) from tenant_registry.console_sign_in where tenant_id = ?")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
