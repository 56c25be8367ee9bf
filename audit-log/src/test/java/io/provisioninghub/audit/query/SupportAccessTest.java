package io.provisioninghub.audit.query;

import static io.provisioninghub.audit.AuditFixtures.AUDIENCE;
import static io.provisioninghub.audit.AuditFixtures.ISSUER;
import static io.provisioninghub.audit.AuditFixtures.supportToken;
import static io.provisioninghub.audit.AuditFixtures.tenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.provisioninghub.testkit.InfrastructureTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Who may read which tenant through the support API, and the record of every read: audience and
 * token age, tenant-limited tokens, and the access log.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class SupportAccessTest {

  @Test
  void tokenWithoutTheSupportAudienceIs401() {
    String tenant = tenant();
    assertThat(status(support(null).sign(), tenant)).as("no aud").isEqualTo(401);
    assertThat(status(support("provisioninghub-admin-api").sign(), tenant))
        .as("admin API audience")
        .isEqualTo(401);
    assertThat(status(support(AUDIENCE).sign(), tenant)).as("support audience").isEqualTo(200);
  }

  @Test
  void tokenOlderThanTheMaximumAgeIs401() {
    String tenant = tenant();
    long now = Instant.now().getEpochSecond();
    String old =
        support(AUDIENCE)
            .issuedAt(now - Duration.ofHours(13).toSeconds())
            .expiresAt(now + 300)
            .sign();
    String young =
        support(AUDIENCE)
            .issuedAt(now - Duration.ofHours(11).toSeconds())
            .expiresAt(now + 300)
            .sign();
    assertThat(status(old, tenant)).as("issued 13 h ago").isEqualTo(401);
    assertThat(status(young, tenant)).as("issued 11 h ago").isEqualTo(200);
  }

  @Test
  void tokenLimitedToTenantAReadingTenantBIs403() {
    String a = tenant();
    String b = tenant();
    String onlyA = support(AUDIENCE).claim("tenants", List.of(a)).sign();

    assertThat(status(onlyA, a)).isEqualTo(200);
    given()
        .auth()
        .oauth2(onlyA)
        .get("/audit/v1/tenants/{t}/operations", b)
        .then()
        .statusCode(403)
        .body("error", equalTo("forbidden"))
        .body("parameter", equalTo("tenantId"));
    for (String path :
        List.of("/summary", "/operations/export", "/operations/" + UUID.randomUUID())) {
      assertThat(given().auth().oauth2(onlyA).get("/audit/v1/tenants/{t}" + path, b).statusCode())
          .as(path)
          .isEqualTo(403);
    }
    // The tenants claim narrows even a token that also has the all-tenants role.
    String listedAndAll =
        support(AUDIENCE)
            .groups(Set.of("support", SupportAccess.ALL_TENANTS_ROLE))
            .claim("tenants", List.of(a))
            .sign();
    assertThat(status(listedAndAll, b)).isEqualTo(403);
  }

  @Test
  void tokenWithNeitherATenantListNorTheAllTenantsRoleReadsNothing() {
    assertThat(status(support(AUDIENCE).sign(), tenant())).isEqualTo(200); // control: all-tenants
    String plain = support(AUDIENCE).groups("support").sign();
    assertThat(status(plain, tenant())).isEqualTo(403);
  }

  @Test
  void everySupportReadAndExportIsRecordedAndListedForAuditors() {
    String tenant = tenant();
    String subject = "agent-" + UUID.randomUUID();
    String token = support(AUDIENCE).subject(subject).sign();
    given()
        .auth()
        .oauth2(token)
        .queryParam("status", "failure")
        .queryParam("target", "alice@contoso.com")
        .get("/audit/v1/tenants/{t}/operations", tenant)
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(token)
        .queryParam("format", "csv")
        .get("/audit/v1/tenants/{t}/operations/export", tenant)
        .then()
        .statusCode(200);
    String other = tenant();
    given()
        .auth()
        .oauth2(support(AUDIENCE).subject(subject).claim("tenants", List.of(tenant)).sign())
        .get("/audit/v1/tenants/{t}/summary", other)
        .then()
        .statusCode(403);

    JsonPath log =
        given()
            .auth()
            .oauth2(auditor())
            .queryParam("subject", subject)
            .get("/audit/v1/access-log")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(log.getList("items.action", String.class))
        .containsExactly("summary", "operations.export", "operations.list");
    assertThat(log.getList("items.tenantId", String.class)).containsExactly(other, tenant, tenant);
    assertThat(log.getList("items.allowed", Boolean.class)).containsExactly(false, true, true);
    assertThat(log.getList("items.issuer", String.class)).containsOnly(ISSUER);
    assertThat(log.getString("items[2].query"))
        .contains("status=failure")
        .contains("target=alice%40contoso.com");
    assertThat(log.getString("items[1].query")).isEqualTo("format=csv");
    assertThat(Instant.parse(log.getString("items[0].at")))
        .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(5));

    JsonPath byTenant =
        given()
            .auth()
            .oauth2(auditor())
            .queryParam("tenant", tenant)
            .queryParam("limit", 1)
            .get("/audit/v1/access-log")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(byTenant.getList("items")).hasSize(1);
    assertThat(byTenant.getString("nextBefore")).isNotNull();
  }

  @Test
  void theAccessLogNeedsTheAuditorOrAdminRole() {
    given().auth().oauth2(supportToken()).get("/audit/v1/access-log").then().statusCode(403);
    given()
        .auth()
        .oauth2(support(AUDIENCE).groups("provisioning-admin").sign())
        .get("/audit/v1/access-log")
        .then()
        .statusCode(200);
    String auditor = "auditor-" + UUID.randomUUID();
    given()
        .auth()
        .oauth2(support(AUDIENCE).subject(auditor).groups("support-auditor").sign())
        .queryParam("limit", "x")
        .get("/audit/v1/access-log")
        .then()
        .statusCode(400);
    // Looking at the log is itself recorded.
    assertThat(
            given()
                .auth()
                .oauth2(auditor())
                .queryParam("subject", auditor)
                .get("/audit/v1/access-log")
                .jsonPath()
                .getList("items.action", String.class))
        .isEmpty(); // the 400 was refused before anything was read or recorded
    given()
        .auth()
        .oauth2(support(AUDIENCE).subject(auditor).groups("support-auditor").sign())
        .get("/audit/v1/access-log")
        .then()
        .statusCode(200);
    assertThat(
            given()
                .auth()
                .oauth2(auditor())
                .queryParam("subject", auditor)
                .get("/audit/v1/access-log")
                .jsonPath()
                .getList("items.action", String.class))
        .containsExactly("access-log.list");
  }

  private static int status(String token, String tenant) {
    return given().auth().oauth2(token).get("/audit/v1/tenants/{t}/summary", tenant).statusCode();
  }

  /** A support token for every tenant, for {@code audience} (none when null); adjust and sign. */
  private static JwtClaimsBuilder support(String audience) {
    JwtClaimsBuilder claims =
        Jwt.issuer(ISSUER)
            .subject("support-agent")
            .groups(Set.of("support", SupportAccess.ALL_TENANTS_ROLE))
            .expiresIn(300);
    return audience == null ? claims : claims.audience(audience);
  }

  private static String auditor() {
    return support(AUDIENCE).subject("auditor").groups("support-auditor").sign();
  }
}
