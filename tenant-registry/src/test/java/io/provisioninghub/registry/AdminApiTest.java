package io.provisioninghub.registry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.CredentialUsage;
import io.provisioninghub.contracts.TenantPurged;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.TenantSnapshot.CredentialStatus;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.registry.changes.AdminChangeLog;
import io.provisioninghub.registry.credentials.Secrets;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API against the real database and broker, with locally signed admin tokens. */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(AdminKeysTestResource.class)
class AdminApiTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @jakarta.inject.Inject io.micrometer.core.instrument.MeterRegistry registry;
  static CapturedLog log;

  static TopicProbe tenantsTopic;

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

  static RequestSpecification admin() {
    return given()
        .auth()
        .oauth2(AdminKeysTestResource.token("provisioning-admin"))
        .contentType("application/json");
  }

  @Test
  void noTokenIs401WrongRoleIs403UnknownKeyIs401() {
    given().get("/admin/v1/tenants").then().statusCode(401).body("status", equalTo(401));
    given()
        .auth()
        .oauth2(AdminKeysTestResource.token("support"))
        .get("/admin/v1/tenants")
        .then()
        .statusCode(403)
        .body("status", equalTo(403));
    given()
        .auth()
        .oauth2(AdminKeysTestResource.tokenOfUnknownKey())
        .get("/admin/v1/tenants")
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2(AdminKeysTestResource.token("support"))
        .contentType("application/json")
        .body("{\"displayName\":\"Sneaky\"}")
        .post("/admin/v1/tenants")
        .then()
        .statusCode(403);
  }

  @Test
  void tokenWithoutTheAdminAudienceIs401() {
    given()
        .auth()
        .oauth2(AdminKeysTestResource.adminTokenFor(null))
        .get("/admin/v1/tenants")
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2(AdminKeysTestResource.adminTokenFor("provisioninghub-support-api"))
        .get("/admin/v1/tenants")
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2(AdminKeysTestResource.adminTokenFor(AdminKeysTestResource.AUDIENCE))
        .get("/admin/v1/tenants")
        .then()
        .statusCode(200);
  }

  @Test
  void tokenOlderThanTheMaximumAgeIs401() {
    given()
        .auth()
        .oauth2(AdminKeysTestResource.adminTokenIssuedAgo(Duration.ofHours(13)))
        .get("/admin/v1/tenants")
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2(AdminKeysTestResource.adminTokenIssuedAgo(Duration.ofHours(11)))
        .get("/admin/v1/tenants")
        .then()
        .statusCode(200);
  }

  @Test
  void everyAdminChangeIsRecordedWithItsPrincipal() {
    String id = uniqueId();
    admin()
        .body("{\"id\":\"" + id + "\",\"displayName\":\"Recorded\"}")
        .post("/admin/v1/tenants")
        .then()
        .statusCode(201);
    String credential =
        admin()
            .body("{}")
            .post("/admin/v1/tenants/" + id + "/credentials")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    admin().post("/admin/v1/tenants/" + id + "/suspend").then().statusCode(200);
    // A refused change is not recorded.
    admin().body("{\"displayName\":\"\"}").patch("/admin/v1/tenants/" + id).then().statusCode(400);

    io.restassured.path.json.JsonPath changes =
        admin()
            .queryParam("tenant", id)
            .get("/admin/v1/changes")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(changes.getList("items.action", String.class))
        .containsExactly("tenant.suspend", "credential.issue", "tenant.create");
    assertThat(changes.getList("items.principal", String.class))
        .containsOnly("operator@vendor.example");
    assertThat(changes.getList("items.issuer", String.class))
        .containsOnly(AdminKeysTestResource.ISSUER);
    assertThat(changes.getString("items[1].target")).isEqualTo(credential);
    assertThat(changes.getList("items.tenantId", String.class)).containsOnly(id);

    io.restassured.path.json.JsonPath firstPage =
        admin().queryParam("tenant", id).queryParam("limit", 2).get("/admin/v1/changes").jsonPath();
    assertThat(firstPage.getList("items")).hasSize(2);
    assertThat(
            admin()
                .queryParam("tenant", id)
                .queryParam("before", firstPage.getLong("nextBefore"))
                .get("/admin/v1/changes")
                .jsonPath()
                .getList("items.action", String.class))
        .containsExactly("tenant.create");
    given()
        .auth()
        .oauth2(AdminKeysTestResource.token("support"))
        .get("/admin/v1/changes")
        .then()
        .statusCode(403);
  }

  @Test
  void createGetListUpdateAndPublish() {
    String id = uniqueId();
    admin()
        .body(
            "{\"id\":\""
                + id
                + "\",\"displayName\":\"Contoso\",\"idpTenantId\":\"72f988bf-86f1-41af-91ab-2d7cd011db47\"}")
        .post("/admin/v1/tenants")
        .then()
        .statusCode(201)
        .header("Location", notNullValue())
        .body("id", equalTo(id))
        .body("status", equalTo("ACTIVE"))
        .body("rateLimit.requestsPerSecond", equalTo(50))
        .body("rateLimit.burst", equalTo(500));
    admin()
        .get("/admin/v1/tenants/" + id)
        .then()
        .statusCode(200)
        .body("displayName", equalTo("Contoso"));
    admin().get("/admin/v1/tenants").then().statusCode(200).body("id", hasItem(id));

    admin()
        .body(
            "{\"displayName\":\"Contoso Ltd\",\"rateLimit\":{\"requestsPerSecond\":5,\"burst\":7}}")
        .patch("/admin/v1/tenants/" + id)
        .then()
        .statusCode(200)
        .body("displayName", equalTo("Contoso Ltd"))
        .body("rateLimit.burst", equalTo(7));
    admin()
        .body("{\"audiences\":[\"api://phub\"],\"jwksUri\":\"https://login.example.com/keys\"}")
        .put("/admin/v1/tenants/" + id + "/oauth-trust")
        .then()
        .statusCode(200)
        .body(
            "oauthTrust.issuer",
            equalTo("https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/"));

    TenantSnapshot latest = awaitSnapshot(id, s -> s.oauthTrust() != null);
    assertThat(latest.displayName()).isEqualTo("Contoso Ltd");
    assertThat(latest.rateLimit().requestsPerSecond()).isEqualTo(5);
    assertThat(latest.oauthTrust().audiences()).containsExactly("api://phub");
    assertThat(latest.revision()).isEqualTo(3);
  }

  @Test
  void clientMistakesAre4xxWithAProblemBody() {
    admin()
        .body("{\"displayName\":")
        .post("/admin/v1/tenants")
        .then()
        .statusCode(400)
        .body("status", equalTo(400));
    admin()
        .body("{\"id\":\"Bad Id!\",\"displayName\":\"x\"}")
        .post("/admin/v1/tenants")
        .then()
        .statusCode(400)
        .body("detail", notNullValue());
    admin()
        .body("{\"id\":\"" + uniqueId() + "\"}")
        .post("/admin/v1/tenants")
        .then()
        .statusCode(400);
    admin()
        .get("/admin/v1/tenants/no-such-tenant")
        .then()
        .statusCode(404)
        .body("status", equalTo(404));
    admin().post("/admin/v1/tenants/no-such-tenant/credentials").then().statusCode(404);
    String id = createTenant();
    admin()
        .body("{\"id\":\"" + id + "\",\"displayName\":\"again\"}")
        .post("/admin/v1/tenants")
        .then()
        .statusCode(409);
    admin()
        .body(
            "{\"issuer\":\"http://evil.example/\",\"audiences\":[\"a\"],\"jwksUri\":\"https://k.example/\"}")
        .put("/admin/v1/tenants/" + id + "/oauth-trust")
        .then()
        .statusCode(400);
    admin()
        .body("{\"rateLimit\":{\"requestsPerSecond\":0,\"burst\":1}}")
        .patch("/admin/v1/tenants/" + id)
        .then()
        .statusCode(400);
    admin()
        .body("{\"expiresInDays\":0}")
        .post("/admin/v1/tenants/" + id + "/credentials")
        .then()
        .statusCode(400);
    // A value of the wrong type gets the same problem body as unreadable JSON.
    admin()
        .body("{\"expiresInDays\":\"soon\"}")
        .post("/admin/v1/tenants/" + id + "/credentials")
        .then()
        .statusCode(400)
        .body("status", equalTo(400))
        .body("detail", equalTo("the request body is not valid JSON for this endpoint"));
    admin().post("/admin/v1/tenants/" + id + "/credentials/nope/revoke").then().statusCode(404);
  }

  @Test
  void credentialIsShownOnceAndPublishedOnlyAsHash() {
    String id = createTenant();
    Response issued =
        admin().body("{\"expiresInDays\":30}").post("/admin/v1/tenants/" + id + "/credentials");
    issued.then().statusCode(201).header("Cache-Control", "no-store");
    String secret = issued.path("secret");
    String credentialId = issued.path("id");
    assertThat(secret).startsWith("phub_");

    String listing =
        admin()
            .get("/admin/v1/tenants/" + id + "/credentials")
            .then()
            .statusCode(200)
            .body("[0].id", equalTo(credentialId))
            .body("[0].status", equalTo("ACTIVE"))
            .body("[0].expiresAt", notNullValue())
            .body("[0].secret", nullValue())
            .extract()
            .asString();
    String tenant = admin().get("/admin/v1/tenants/" + id).asString();
    assertThat(listing).doesNotContain(secret).doesNotContain(Secrets.sha256Hex(secret));
    assertThat(tenant).doesNotContain(secret);

    TenantSnapshot snapshot = awaitSnapshot(id, s -> !s.credentials().isEmpty());
    assertThat(snapshot.credentials().get(0).sha256()).isEqualTo(Secrets.sha256Hex(secret));
    for (ConsumerRecord<String, byte[]> record : tenantsTopic.records(r -> id.equals(r.key()))) {
      assertThat(new String(record.value(), StandardCharsets.UTF_8)).doesNotContain(secret);
    }
    assertThat(log.lines()).isNotEmpty().noneMatch(line -> line.contains(secret));
    assertThat(log.lines()).anyMatch(line -> line.contains(credentialId));
  }

  @Test
  void lastUsedAtFollowsTheGatewaysReportsAndNeverMovesBack() {
    String id = createTenant();
    String credentialId = admin().post("/admin/v1/tenants/" + id + "/credentials").path("id");
    String fenceId = admin().post("/admin/v1/tenants/" + id + "/credentials").path("id");
    Instant used = Instant.parse("2026-11-26T10:00:00Z");

    reportUse(id, credentialId, used);
    reportUse(id, credentialId, used.minusSeconds(600));
    reportUse(id, fenceId, used); // same partition, after both: once applied, so are they

    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> lastUsedAt(id, fenceId) != null);
    assertThat(lastUsedAt(id, credentialId)).isEqualTo("2026-11-26T10:00:00Z");
  }

  /**
   * Reports the registry cannot read or store (not JSON, a report without its time, an id with
   * U+0000 that PostgreSQL refuses) are set aside and counted; the next report is applied.
   */
  @Test
  void garbageOnTheUsageTopicIsSetAsideAndTheNextReportApplied() {
    String id = createTenant();
    String credentialId = admin().post("/admin/v1/tenants/" + id + "/credentials").path("id");
    String key = id + "/" + credentialId;
    double unreadableBefore = setAside("unreadable");
    double refusedBefore = setAside("refused");
    String bootstrap = Infrastructure.shared().kafka().bootstrapServers();

    TopicProbe.send(
        bootstrap,
        Topics.CREDENTIAL_USAGE,
        key,
        "{not json".getBytes(StandardCharsets.UTF_8),
        null);
    TopicProbe.send(
        bootstrap,
        Topics.CREDENTIAL_USAGE,
        key,
        ContractJson.toBytes(new CredentialUsage(id, "nul\u0000" + credentialId, Instant.now())),
        null);
    reportUse(id, credentialId, Instant.parse("2026-11-27T10:00:00Z"));

    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(() -> "2026-11-27T10:00:00Z".equals(lastUsedAt(id, credentialId)));
    assertThat(setAside("unreadable")).isEqualTo(unreadableBefore + 1);
    assertThat(setAside("refused")).isEqualTo(refusedBefore + 1);
  }

  /** Zero until the consumer's meters exist. */
  private double setAside(String reason) {
    var counter =
        registry
            .find(io.provisioninghub.support.consumer.SetAsideRecords.NAME)
            .tag("consumer", "usage")
            .tag("reason", reason)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private static void reportUse(String tenantId, String credentialId, Instant at) {
    TopicProbe.send(
        Infrastructure.shared().kafka().bootstrapServers(),
        Topics.CREDENTIAL_USAGE,
        tenantId + "/" + credentialId,
        ContractJson.toBytes(new CredentialUsage(tenantId, credentialId, at)),
        null);
  }

  private static String lastUsedAt(String tenantId, String credentialId) {
    return admin()
        .get("/admin/v1/tenants/" + tenantId + "/credentials")
        .path("find { it.id == '" + credentialId + "' }.lastUsedAt");
  }

  @Test
  void rotationKeepsBothValidUntilTheOldExpiresAndRevokeEndsOne() {
    String id = createTenant();
    String oldId = admin().post("/admin/v1/tenants/" + id + "/credentials").path("id");
    Instant before = Instant.now();

    Response rotated =
        admin()
            .body("{\"oldValidForSeconds\":3600}")
            .post("/admin/v1/tenants/" + id + "/credentials/" + oldId + "/rotate");
    rotated.then().statusCode(201);
    String newId = rotated.path("id");

    TenantSnapshot both = awaitSnapshot(id, s -> s.credentials().size() == 2);
    Instant now = Instant.now();
    assertThat(both.credentials()).allMatch(c -> c.usableAt(now));
    Instant oldExpiry =
        both.credentials().stream()
            .filter(c -> c.id().equals(oldId))
            .findFirst()
            .orElseThrow()
            .expiresAt();
    assertThat(oldExpiry).isBetween(before.plusSeconds(3599), now.plusSeconds(3601));

    admin()
        .post("/admin/v1/tenants/" + id + "/credentials/" + oldId + "/revoke")
        .then()
        .statusCode(200)
        .body("status", equalTo("REVOKED"));
    TenantSnapshot revoked =
        awaitSnapshot(
            id,
            s -> s.credentials().stream().anyMatch(c -> c.status() == CredentialStatus.REVOKED));
    assertThat(revoked.credentials())
        .filteredOn(c -> c.id().equals(newId))
        .allMatch(c -> c.usableAt(Instant.now()));
    admin()
        .post("/admin/v1/tenants/" + id + "/credentials/" + oldId + "/rotate")
        .then()
        .statusCode(409);
  }

  @Test
  void suspendResumeAndDeleteArePublished() {
    String id = createTenant();
    admin()
        .post("/admin/v1/tenants/" + id + "/suspend")
        .then()
        .statusCode(200)
        .body("status", equalTo("SUSPENDED"));
    awaitSnapshot(id, s -> s.status() == TenantStatus.SUSPENDED);
    admin()
        .post("/admin/v1/tenants/" + id + "/resume")
        .then()
        .statusCode(200)
        .body("status", equalTo("ACTIVE"));
    TenantSnapshot resumed =
        awaitSnapshot(id, s -> s.status() == TenantStatus.ACTIVE && s.revision() == 3);
    assertThat(resumed.revision()).isEqualTo(3);

    admin()
        .delete("/admin/v1/tenants/" + id)
        .then()
        .statusCode(202)
        .body("status", equalTo("DELETING"));
    TenantSnapshot deleting = awaitSnapshot(id, s -> s.status() == TenantStatus.DELETING);
    assertThat(deleting.createdAt()).isNotNull();
  }

  /**
   * A deleted tenant stays DELETING, unchangeable, and its id taken (409 saying why) until the
   * processor reports that its SCIM data is purged; then it is gone (tombstone) and the id can be
   * created again. A report for another life of the id changes nothing.
   */
  @Test
  void deletionCompletesOnlyWhenTheProcessorReportsThePurge() {
    String id = createTenant();
    admin().body("{}").post("/admin/v1/tenants/" + id + "/credentials").then().statusCode(201);
    admin().delete("/admin/v1/tenants/" + id).then().statusCode(202);
    TenantSnapshot deleting = awaitSnapshot(id, s -> s.status() == TenantStatus.DELETING);

    admin()
        .body("{\"id\":\"" + id + "\",\"displayName\":\"Again\"}")
        .post("/admin/v1/tenants")
        .then()
        .statusCode(409)
        .body("detail", org.hamcrest.Matchers.containsString("still being deleted"));
    admin().post("/admin/v1/tenants/" + id + "/resume").then().statusCode(409);
    admin().body("{}").post("/admin/v1/tenants/" + id + "/credentials").then().statusCode(409);
    // Asking again is accepted and changes nothing.
    admin().delete("/admin/v1/tenants/" + id).then().statusCode(202);

    reportPurge(new TenantPurged(id, deleting.createdAt().minusSeconds(1), Instant.now(), 3));
    reportPurge(new TenantPurged(id, deleting.createdAt(), Instant.now(), 7));

    tenantsTopic.awaitOne(r -> id.equals(r.key()) && r.value() == null, WAIT);
    // The tombstone is published before the deletion commits (so a failed publish rolls it back):
    // the row is gone a moment after the record is on the topic.
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(() -> admin().get("/admin/v1/tenants/" + id).statusCode() == 404);
    assertThat(
            admin()
                .queryParam("tenant", id)
                .get("/admin/v1/changes")
                .jsonPath()
                .getList("items.principal", String.class))
        .first()
        .isEqualTo(AdminChangeLog.SYSTEM_PRINCIPAL);
    admin()
        .body("{\"id\":\"" + id + "\",\"displayName\":\"Again\"}")
        .post("/admin/v1/tenants")
        .then()
        .statusCode(201)
        .body("status", equalTo("ACTIVE"));
    TenantSnapshot again =
        awaitSnapshot(
            id,
            s -> s.status() == TenantStatus.ACTIVE && s.createdAt().isAfter(deleting.createdAt()));
    assertThat(again.createdAt()).isAfter(deleting.createdAt());
  }

  private static void reportPurge(TenantPurged purged) {
    TopicProbe.send(
        Infrastructure.shared().kafka().bootstrapServers(),
        Topics.TENANT_PURGES,
        purged.tenantId(),
        ContractJson.toBytes(purged),
        new org.apache.kafka.common.header.internals.RecordHeaders());
  }

  @Test
  void openApiDescribesTheAdminApi() {
    given()
        .get("/q/openapi?format=json")
        .then()
        .statusCode(200)
        .body("paths.'/admin/v1/tenants'.post", notNullValue())
        .body(
            "paths.'/admin/v1/tenants/{tenantId}/credentials/{credentialId}/rotate'",
            notNullValue());
  }

  private static String createTenant() {
    String id = uniqueId();
    admin()
        .body("{\"id\":\"" + id + "\",\"displayName\":\"Tenant " + id + "\"}")
        .post("/admin/v1/tenants")
        .then()
        .statusCode(201);
    return id;
  }

  private static String uniqueId() {
    return "t-" + UUID.randomUUID().toString().substring(0, 13);
  }

  private static TenantSnapshot awaitSnapshot(
      String id, java.util.function.Predicate<TenantSnapshot> matching) {
    ConsumerRecord<String, byte[]> record =
        tenantsTopic.awaitOne(
            r ->
                id.equals(r.key())
                    && r.value() != null
                    && matching.test(ContractJson.tenant(r.value())),
            WAIT);
    return ContractJson.tenant(record.value());
  }
}
