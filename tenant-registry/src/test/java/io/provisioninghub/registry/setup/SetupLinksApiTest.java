package io.provisioninghub.registry.setup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.TenantPurged;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.registry.AdminKeysTestResource;
import io.provisioninghub.registry.CapturedLog;
import io.provisioninghub.registry.credentials.Secrets;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Setup links through the admin API, against the real database and broker: created for an active
 * tenant only, redeemed once (also when redemptions race), refused with a problem {@code type} the
 * console switches on, and the secret nowhere but in the create answer.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(AdminKeysTestResource.class)
class SetupLinksApiTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String TYPE = "urn:provisioninghub:problem:";
  private static final String SETUP_URL = "http://127.0.0.1:8085/console/setup/";

  static CapturedLog log;

  static TopicProbe tenantsTopic;

  @TestHTTPResource("/admin/v1/setup-links/redeem")
  URL redeemUrl;

  @BeforeAll
  static void open() {
    tenantsTopic =
        TopicProbe.open(Infrastructure.shared().kafka().bootstrapServers(), Topics.TENANTS);
    log = CapturedLog.start();
  }

  @AfterAll
  static void close() {
    tenantsTopic.close();
    log.stop();
  }

  @Test
  void aLinkIsRedeemedOnceAndThenRefusedAsRedeemed() {
    String tenant = createTenant("Contoso Ltd");
    Response created = admin().post(links(tenant));
    created
        .then()
        .statusCode(201)
        .header("Cache-Control", "no-store")
        .body("tenantId", equalTo(tenant))
        .body("createdBy", equalTo("operator@vendor.example"));
    String linkId = created.path("id");
    String secret = secretOf(created);
    assertThat(secret).matches("phub_setup_[A-Za-z0-9_-]{43}");
    assertThat(UUID.fromString(linkId)).isNotNull();
    assertThat(validity(created.jsonPath())).isEqualTo(Duration.ofHours(24));
    // The console relies on exactly these members.
    assertThat(created.jsonPath().getMap(""))
        .containsOnlyKeys("id", "tenantId", "url", "expiresAt", "createdAt", "createdBy");

    Response redeemed = redeem(secret);
    redeemed
        .then()
        .statusCode(200)
        .body("tenantId", equalTo(tenant))
        .body("linkId", equalTo(linkId))
        .body("displayName", equalTo("Contoso Ltd"))
        .body("redeemedAt", notNullValue());
    assertThat(redeemed.jsonPath().getMap(""))
        .containsOnlyKeys("tenantId", "linkId", "displayName", "redeemedAt");

    Response again = redeem(secret);
    again
        .then()
        .statusCode(410)
        .body("type", equalTo(TYPE + "setup-link-redeemed"))
        .body("status", equalTo(410))
        .body("title", equalTo("Gone"))
        .body("detail", containsString("was used at"));
    assertThat(again.jsonPath().getMap("")).containsOnlyKeys("type", "status", "title", "detail");
    admin()
        .get(links(tenant))
        .then()
        .statusCode(200)
        .body("size()", equalTo(1))
        .body("[0].id", equalTo(linkId))
        .body("[0].status", equalTo("redeemed"))
        .body("[0].redeemedAt", notNullValue())
        .body("[0].revokedAt", nullValue());
  }

  @Test
  void anExpiredLinkIsRefusedAsExpired() throws SQLException {
    String tenant = createTenant("Expiring");
    Response created = admin().body("{\"validForMinutes\":5}").post(links(tenant));
    created.then().statusCode(201);
    assertThat(validity(created.jsonPath())).isEqualTo(Duration.ofMinutes(5));
    String linkId = created.path("id");

    // Six minutes later, by the database's clock that the redemption compares with.
    sql(
        "update tenant_registry.setup_links set created_at = now() - interval '6 minutes',"
            + " expires_at = now() - interval '1 minute' where id = ?::uuid",
        linkId);

    admin().get(links(tenant)).then().body("[0].status", equalTo("expired"));
    redeem(secretOf(created))
        .then()
        .statusCode(410)
        .body("type", equalTo(TYPE + "setup-link-expired"))
        .body("detail", containsString("expired at"));
  }

  @Test
  void aRevokedLinkIsRefusedAsRevokedAndRevokingIsIdempotent() {
    String tenant = createTenant("Revoking");
    Response created = admin().post(links(tenant));
    String linkId = created.path("id");

    String revokedAt =
        admin()
            .post(links(tenant) + "/" + linkId + "/revoke")
            .then()
            .statusCode(200)
            .body("id", equalTo(linkId))
            .body("status", equalTo("revoked"))
            .body("revokedAt", notNullValue())
            .extract()
            .path("revokedAt");
    redeem(secretOf(created))
        .then()
        .statusCode(410)
        .body("type", equalTo(TYPE + "setup-link-revoked"));
    admin()
        .post(links(tenant) + "/" + linkId + "/revoke")
        .then()
        .statusCode(200)
        .body("revokedAt", equalTo(revokedAt));

    // A redeemed link stays redeemed.
    Response other = admin().post(links(tenant));
    redeem(secretOf(other)).then().statusCode(200);
    admin()
        .post(links(tenant) + "/" + other.path("id") + "/revoke")
        .then()
        .statusCode(200)
        .body("status", equalTo("redeemed"))
        .body("revokedAt", nullValue());

    assertThat(admin().get(links(tenant)).jsonPath().getList("status", String.class))
        .containsExactly("redeemed", "revoked");
  }

  @Test
  void revokingALinkThatIsNotTheTenantsIs404() {
    String tenant = createTenant("Mine");
    String otherTenant = createTenant("Theirs");
    String linkId = admin().post(links(otherTenant)).path("id");

    for (String unknown : List.of(UUID.randomUUID().toString(), "not-a-uuid", linkId)) {
      admin()
          .post(links(tenant) + "/" + unknown + "/revoke")
          .then()
          .statusCode(404)
          .body("detail", containsString("has no setup link"));
    }
    admin().post(links("no-such-tenant") + "/" + linkId + "/revoke").then().statusCode(404);
    admin().get(links(otherTenant)).then().body("[0].status", equalTo("active"));
  }

  @Test
  void unknownTokensAre404AndMalformedOnes400() {
    redeem(Secrets.newSecret("phub_setup_"))
        .then()
        .statusCode(404)
        .body("type", equalTo(TYPE + "setup-link-unknown"))
        .body("status", equalTo(404))
        .body("title", equalTo("Not Found"));

    for (String body :
        List.of(
            "{}",
            "{\"token\":null}",
            "{\"token\":\"nope\"}",
            "{\"token\":\"" + Secrets.newSecret() + "\"}",
            "{\"token\":\"" + Secrets.newSecret("phub_setup_") + "x\"}",
            "{\"token\":42}",
            "{\"token\":",
            "")) {
      admin()
          .body(body)
          .post("/admin/v1/setup-links/redeem")
          .then()
          .statusCode(400)
          .body("status", equalTo(400));
    }
    // Other answers keep their members: no type.
    admin()
        .get("/admin/v1/tenants/no-such-tenant")
        .then()
        .statusCode(404)
        .body("$", not(hasKey("type")));
    admin().get(links("no-such-tenant")).then().statusCode(404);
    admin().post(links("no-such-tenant")).then().statusCode(404);
  }

  @Test
  void aSuspendedTenantGetsNoLinkAndItsLinksAreRefusedUntilResumed() {
    String tenant = createTenant("Suspended");
    Response created = admin().post(links(tenant));
    admin().post("/admin/v1/tenants/" + tenant + "/suspend").then().statusCode(200);

    redeem(secretOf(created))
        .then()
        .statusCode(410)
        .body("type", equalTo(TYPE + "tenant-not-active"))
        .body("detail", containsString("suspended"));
    admin()
        .post(links(tenant))
        .then()
        .statusCode(409)
        .body("detail", containsString("suspended"))
        .body("$", not(hasKey("type")));

    // The refusal did not use the link up.
    admin().post("/admin/v1/tenants/" + tenant + "/resume").then().statusCode(200);
    redeem(secretOf(created)).then().statusCode(200).body("tenantId", equalTo(tenant));
  }

  @Test
  void aDeletedTenantsLinksAreRefusedAndThenGone() throws SQLException {
    String tenant = createTenant("Leaving");
    Response created = admin().post(links(tenant));
    String secret = secretOf(created);
    Instant createdAt = Instant.parse(admin().get("/admin/v1/tenants/" + tenant).path("createdAt"));
    admin().delete("/admin/v1/tenants/" + tenant).then().statusCode(202);

    redeem(secret)
        .then()
        .statusCode(410)
        .body("type", equalTo(TYPE + "tenant-not-active"))
        .body("detail", containsString("being deleted"));
    admin().post(links(tenant)).then().statusCode(409);

    TopicProbe.send(
        Infrastructure.shared().kafka().bootstrapServers(),
        Topics.TENANT_PURGES,
        tenant,
        ContractJson.toBytes(new TenantPurged(tenant, createdAt, Instant.now(), 0)),
        new org.apache.kafka.common.header.internals.RecordHeaders());
    Awaitility.await()
        .atMost(WAIT)
        .until(() -> admin().get("/admin/v1/tenants/" + tenant).statusCode() == 404);

    redeem(secret).then().statusCode(404).body("type", equalTo(TYPE + "setup-link-unknown"));
    assertThat(
            count("select count(*) from tenant_registry.setup_links where tenant_id = ?", tenant))
        .isZero();
  }

  @Test
  void validityOutsideFiveMinutesToSevenDaysIs400() {
    String tenant = createTenant("Validity");
    for (String minutes : List.of("4", "0", "-1", "10081", "\"a day\"", "99999999999")) {
      admin()
          .body("{\"validForMinutes\":" + minutes + "}")
          .post(links(tenant))
          .then()
          .statusCode(400)
          .body("status", equalTo(400));
    }
    Response longest = admin().body("{\"validForMinutes\":10080}").post(links(tenant));
    longest.then().statusCode(201);
    assertThat(validity(longest.jsonPath())).isEqualTo(Duration.ofDays(7));
    admin().body("{}").post(links(tenant)).then().statusCode(201);
    assertThat(admin().get(links(tenant)).jsonPath().getList("id")).hasSize(2);
  }

  @Test
  void theSecretIsOnlyInTheCreateAnswer() throws SQLException {
    String tenant = createTenant("Secretive");
    Response created = admin().post(links(tenant));
    String linkId = created.path("id");
    String secret = secretOf(created);
    String hash = Secrets.sha256Hex(secret);
    redeem(secret).then().statusCode(200);
    String revokedId = admin().post(links(tenant)).path("id");
    admin().post(links(tenant) + "/" + revokedId + "/revoke").then().statusCode(200);

    String listing = admin().get(links(tenant)).then().statusCode(200).extract().asString();
    assertThat(listing).contains(linkId).doesNotContain(secret).doesNotContain(hash);

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
            "setup-link.revoke",
            "setup-link.create",
            "setup-link.redeem",
            "setup-link.create",
            "tenant.create");
    assertThat(changes.getList("items.target", String.class))
        .containsExactly(revokedId, revokedId, linkId, linkId, null);
    assertThat(changes.prettify()).doesNotContain(secret).doesNotContain(hash);

    assertThat(log.lines()).noneMatch(line -> line.contains(secret));
    assertThat(log.lines()).anyMatch(line -> line.contains(linkId) && line.contains("redeemed"));

    tenantsTopic.awaitOne(r -> tenant.equals(r.key()), WAIT);
    for (ConsumerRecord<String, byte[]> record : tenantsTopic.records()) {
      if (record.value() != null) {
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).doesNotContain(secret);
      }
    }

    assertThat(
            count(
                "select count(*) from tenant_registry.setup_links where id = ?::uuid"
                    + " and token_sha256 = ? and strpos(setup_links::text, ?) = 0",
                linkId,
                hash,
                secret))
        .isEqualTo(1);
  }

  /** Racing redemptions of one link: exactly one wins, the others are told it was redeemed. */
  @Test
  void concurrentRedemptionsHaveExactlyOneWinner() throws Exception {
    String tenant = createTenant("Racing");
    HttpClient http = HttpClient.newHttpClient();
    String token = AdminKeysTestResource.token("provisioning-admin");
    int racers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      for (int round = 0; round < 5; round++) {
        String secret = secretOf(admin().post(links(tenant)));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
          HttpRequest request =
              HttpRequest.newBuilder(URI.create(redeemUrl.toString()))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + secret + "\"}"))
                  .build();
          answers.add(
              pool.submit(
                  () -> {
                    start.await();
                    return http.send(request, HttpResponse.BodyHandlers.ofString());
                  }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<HttpResponse<String>> answer : answers) {
          HttpResponse<String> response = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
          statuses.add(response.statusCode());
          if (response.statusCode() == 410) {
            assertThat(response.body()).contains(TYPE + "setup-link-redeemed");
          }
        }
        assertThat(statuses).containsOnly(200, 410).filteredOn(s -> s == 200).hasSize(1);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(
            admin()
                .queryParam("tenant", tenant)
                .get("/admin/v1/changes")
                .jsonPath()
                .getList("items.action", String.class))
        .filteredOn("setup-link.redeem"::equals)
        .hasSize(5);
  }

  @Test
  void noTokenIs401AndAnotherRoleIs403() {
    String tenant = createTenant("Guarded");
    String linkId = admin().post(links(tenant)).path("id");
    String redeemBody = "{\"token\":\"" + Secrets.newSecret("phub_setup_") + "\"}";

    checkRefused(() -> given().contentType("application/json"), tenant, linkId, redeemBody, 401);
    checkRefused(
        () ->
            given()
                .auth()
                .oauth2(AdminKeysTestResource.token("support"))
                .contentType("application/json"),
        tenant,
        linkId,
        redeemBody,
        403);
    admin()
        .get(links(tenant))
        .then()
        .body("size()", equalTo(1))
        .body("[0].status", equalTo("active"));
  }

  private static void checkRefused(
      Supplier<RequestSpecification> caller,
      String tenant,
      String linkId,
      String redeemBody,
      int status) {
    caller.get().post(links(tenant)).then().statusCode(status).body("status", equalTo(status));
    caller.get().get(links(tenant)).then().statusCode(status);
    caller.get().post(links(tenant) + "/" + linkId + "/revoke").then().statusCode(status);
    caller.get().body(redeemBody).post("/admin/v1/setup-links/redeem").then().statusCode(status);
  }

  @Test
  void openApiDescribesTheSetupLinks() {
    given()
        .get("/q/openapi?format=json")
        .then()
        .statusCode(200)
        .body("paths.'/admin/v1/tenants/{tenantId}/setup-links'.post", notNullValue())
        .body("paths.'/admin/v1/tenants/{tenantId}/setup-links'.get", notNullValue())
        .body("paths.'/admin/v1/tenants/{tenantId}/setup-links/{linkId}/revoke'", notNullValue())
        .body("paths.'/admin/v1/setup-links/redeem'.post.responses.'410'", notNullValue());
  }

  // ---------------------------------------------------------------- helpers

  static RequestSpecification admin() {
    return given()
        .auth()
        .oauth2(AdminKeysTestResource.token("provisioning-admin"))
        .contentType("application/json");
  }

  private static String links(String tenant) {
    return "/admin/v1/tenants/" + tenant + "/setup-links";
  }

  private static Response redeem(String secret) {
    return admin().body("{\"token\":\"" + secret + "\"}").post("/admin/v1/setup-links/redeem");
  }

  /** The secret at the end of a created link's URL, which starts with the console's base. */
  private static String secretOf(Response created) {
    created.then().statusCode(201);
    String url = created.path("url");
    assertThat(url).startsWith(SETUP_URL);
    return url.substring(SETUP_URL.length());
  }

  private static Duration validity(JsonPath link) {
    return Duration.between(
        Instant.parse(link.getString("createdAt")), Instant.parse(link.getString("expiresAt")));
  }

  private static String createTenant(String displayName) {
    String id = "sl-" + UUID.randomUUID().toString().substring(0, 13);
    admin()
        .body("{\"id\":\"" + id + "\",\"displayName\":\"" + displayName + "\"}")
        .post("/admin/v1/tenants")
        .then()
        .statusCode(201);
    return id;
  }

  private static void sql(String statement, String... parameters) throws SQLException {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement ps = c.prepareStatement(statement)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setString(i + 1, parameters[i]);
      }
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  private static long count(String query, String... parameters) throws SQLException {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement ps = c.prepareStatement(query)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setString(i + 1, parameters[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
