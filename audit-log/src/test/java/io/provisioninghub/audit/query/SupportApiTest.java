package io.provisioninghub.audit.query;

import static io.provisioninghub.audit.AuditFixtures.createUser;
import static io.provisioninghub.audit.AuditFixtures.failed;
import static io.provisioninghub.audit.AuditFixtures.send;
import static io.provisioninghub.audit.AuditFixtures.supportToken;
import static io.provisioninghub.audit.AuditFixtures.tenant;
import static io.provisioninghub.audit.AuditFixtures.tokenWithoutSupportRole;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.agroal.api.AgroalDataSource;
import io.provisioninghub.audit.AuditFixtures;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The support API: security, tenant scoping, filters, paging, summary and export. */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class SupportApiTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject AgroalDataSource dataSource;

  @Test
  void noTokenIs401AndTokenWithoutSupportRoleIs403AsJson() {
    given()
        .get("/audit/v1/tenants/{t}/operations", "tenant-a")
        .then()
        .statusCode(401)
        .contentType("application/json")
        .header("WWW-Authenticate", "Bearer")
        .body("status", equalTo(401));
    given()
        .auth()
        .oauth2(tokenWithoutSupportRole())
        .get("/audit/v1/tenants/{t}/summary", "tenant-a")
        .then()
        .statusCode(403)
        .contentType("application/json")
        .body("error", equalTo("forbidden"));
    given()
        .auth()
        .oauth2("not-a-jwt")
        .get("/audit/v1/tenants/{t}/operations", "tenant-a")
        .then()
        .statusCode(401)
        .contentType("application/json");
  }

  @Test
  void tenantBNeverSeesTenantARows() {
    String a = tenant();
    String b = tenant();
    ProvisioningCommand inA = createUser(a, "shared-name@contoso.com");
    send(inA);
    send(failed(inA, 409, "uniqueness", "taken"));
    await()
        .atMost(WAIT)
        .until(() -> list(a, "target", "shared-name@contoso.com").getList("items").size() == 1);

    assertThat(list(b, "target", "shared-name@contoso.com").getList("items")).isEmpty();
    assertThat(list(b, "status", "failure").getList("items")).isEmpty();
    given()
        .auth()
        .oauth2(supportToken())
        .get("/audit/v1/tenants/{t}/operations/{id}", b, inA.commandId())
        .then()
        .statusCode(404)
        .body("error", equalTo("not_found"));
    given()
        .auth()
        .oauth2(supportToken())
        .get("/audit/v1/tenants/{t}/operations/export", b)
        .then()
        .statusCode(200)
        .body(equalTo(""));
  }

  @Test
  void cursorPagesThroughEveryRowNewestFirstOnce() throws Exception {
    String tenant = tenant();
    Instant base =
        Instant.now().minusSeconds(7200).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      // two rows share each timestamp so the command id has to break ties
      insertRow(tenant, id, base.plusSeconds(i / 2), "failure", 409, "uniqueness", "user" + i);
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var request = given().auth().oauth2(supportToken()).queryParam("limit", 3);
      if (cursor != null) {
        request.queryParam("cursor", cursor);
      }
      JsonPath page =
          request
              .get("/audit/v1/tenants/{t}/operations", tenant)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      seen.addAll(page.getList("items.commandId", String.class));
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null);

    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(7).doesNotHaveDuplicates();
    assertThat(seen).containsExactlyInAnyOrderElementsOf(ids.stream().map(UUID::toString).toList());
    List<String> receivedAt =
        given()
            .auth()
            .oauth2(supportToken())
            .get("/audit/v1/tenants/{t}/operations", tenant)
            .jsonPath()
            .getList("items.receivedAt", String.class);
    assertThat(receivedAt)
        .isSortedAccordingTo((x, y) -> Instant.parse(y).compareTo(Instant.parse(x)));
  }

  @Test
  void filtersNarrowTheList() throws Exception {
    String tenant = tenant();
    Instant t = Instant.now().minusSeconds(7200).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    insertRow(tenant, UUID.randomUUID(), t, "failure", 409, "uniqueness", "erin@contoso.com");
    insertRow(
        tenant, UUID.randomUUID(), t.plusSeconds(60), "success", 201, null, "erik@contoso.com");
    insertRow(
        tenant, UUID.randomUUID(), t.plusSeconds(120), "rejected", 429, null, "frank@contoso.com");

    assertThat(list(tenant, "targetPrefix", "ERI").getList("items")).hasSize(2);
    assertThat(list(tenant, "targetPrefix", "er%").getList("items")).isEmpty();
    assertThat(list(tenant, "httpStatus", "429").getList("items.target.userName"))
        .containsExactly("frank@contoso.com");
    assertThat(list(tenant, "from", t.plusSeconds(30).toString()).getList("items")).hasSize(2);
    assertThat(list(tenant, "to", t.plusSeconds(30).toString()).getList("items")).hasSize(1);
    assertThat(list(tenant, "operation", "create").getList("items")).hasSize(3);
    JsonPath rateLimited = list(tenant, "status", "rejected");
    assertThat(rateLimited.getString("items[0].recommendedAction"))
        .startsWith("reduce the sync rate");
    // Where each operation came from (ADR 0022): the tenant's SCIM client, or the Graph sync.
    try (java.sql.Connection c = dataSource.getConnection();
        java.sql.PreparedStatement st =
            c.prepareStatement(
                "update audit.operations set source = case when target_user_name = ? then"
                    + " 'graph' else 'scim' end where tenant_id = ?")) {
      st.setString(1, "erik@contoso.com");
      st.setString(2, tenant);
      st.executeUpdate();
    }
    assertThat(list(tenant, "source", "graph").getList("items.target.userName"))
        .containsExactly("erik@contoso.com");
    assertThat(list(tenant, "source", "graph").getList("items.source")).containsExactly("graph");
    assertThat(list(tenant, "source", "scim").getList("items")).hasSize(2);
  }

  @Test
  void badParametersAre400WithJsonNamingTheParameter() {
    for (String[] bad :
        new String[][] {
          {"from", "yesterday"},
          {"status", "broken"},
          {"operation", "upsert"},
          {"httpStatus", "abc"},
          {"limit", "501"},
          {"limit", "0"},
          {"cursor", "%%%"},
          {"resourceType", "Device"}
        }) {
      given()
          .auth()
          .oauth2(supportToken())
          .queryParam(bad[0], bad[1])
          .get("/audit/v1/tenants/{t}/operations", "tenant-a")
          .then()
          .statusCode(400)
          .contentType("application/json")
          .body("parameter", equalTo(bad[0]));
    }
    given()
        .auth()
        .oauth2(supportToken())
        .get("/audit/v1/tenants/{t}/operations/{id}", "tenant-a", "not-a-uuid")
        .then()
        .statusCode(400)
        .body("parameter", equalTo("commandId"));
    given()
        .auth()
        .oauth2(supportToken())
        .queryParam("format", "xml")
        .get("/audit/v1/tenants/{t}/operations/export", "tenant-a")
        .then()
        .statusCode(400)
        .body("parameter", equalTo("format"));
  }

  @Test
  void wrongPathsMethodsAndMediaTypesAreJson4xx() {
    given()
        .auth()
        .oauth2(supportToken())
        .get("/audit/v1/tenants/{t}/nothing-here", "tenant-a")
        .then()
        .statusCode(404)
        .contentType("application/json");
    given()
        .auth()
        .oauth2(supportToken())
        .post("/audit/v1/tenants/{t}/operations", "tenant-a")
        .then()
        .statusCode(405)
        .contentType("application/json");
    given()
        .auth()
        .oauth2(supportToken())
        .accept("application/xml")
        .get("/audit/v1/tenants/{t}/operations", "tenant-a")
        .then()
        .statusCode(406)
        .contentType("application/json");
  }

  @Test
  void summaryCountsAndComparesWithTheQuarantineThreshold() throws Exception {
    String tenant = tenant();
    Instant t = Instant.now().minusSeconds(3600);
    insertRow(tenant, UUID.randomUUID(), t, "success", 201, null, "a@contoso.com");
    insertRow(tenant, UUID.randomUUID(), t, "success", 201, null, "b@contoso.com");
    insertRow(tenant, UUID.randomUUID(), t, "success", 201, null, "c@contoso.com");
    insertRow(tenant, UUID.randomUUID(), t, "failure", 409, "uniqueness", "d@contoso.com");
    insertRow(tenant, UUID.randomUUID(), t, "failure", 409, "uniqueness", "e@contoso.com");
    insertRow(tenant, UUID.randomUUID(), t, "pending", null, null, "f@contoso.com");
    // outside the default 24h range
    insertRow(
        tenant,
        UUID.randomUUID(),
        t.minusSeconds(3 * 86400),
        "failure",
        500,
        null,
        "g@contoso.com");

    given()
        .auth()
        .oauth2(supportToken())
        .get("/audit/v1/tenants/{t}/summary", tenant)
        .then()
        .statusCode(200)
        .body("total", equalTo(6))
        .body("byStatus.success", equalTo(3))
        .body("byStatus.failure", equalTo(2))
        .body("byStatus.pending", equalTo(1))
        .body("byOperation.create", equalTo(6))
        .body("failureRate", equalTo(0.4f))
        .body("quarantineThreshold", equalTo(0.4f))
        .body("headroom", equalTo(0.0f))
        .body("quarantineRisk", equalTo(true))
        .body("topFailureReasons[0].httpStatus", equalTo(409))
        .body("topFailureReasons[0].count", equalTo(2))
        .body("topFailureReasons[0].recommendedAction", notNullValue());
  }

  @Test
  void exportStreamsNdjsonAndCsvLines() throws Exception {
    String tenant = tenant();
    Instant t = Instant.now().minusSeconds(7200).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    insertRow(tenant, first, t, "failure", 409, "uniqueness", "=cmd|calc@contoso.com");
    insertRow(tenant, second, t.plusSeconds(1), "success", 201, null, "h,i@contoso.com");

    String ndjson =
        given()
            .auth()
            .oauth2(supportToken())
            .queryParam("format", "ndjson")
            .get("/audit/v1/tenants/{t}/operations/export", tenant)
            .then()
            .statusCode(200)
            .contentType("application/x-ndjson")
            .extract()
            .asString();
    String[] lines = ndjson.split("\n");
    assertThat(lines).hasSize(2);
    assertThat(new JsonPath(lines[0]).getString("commandId")).isEqualTo(second.toString());
    assertThat(new JsonPath(lines[1]).getString("status")).isEqualTo("failure");

    String csv =
        given()
            .auth()
            .oauth2(supportToken())
            .queryParam("format", "csv")
            .queryParam("status", "failure")
            .get("/audit/v1/tenants/{t}/operations/export", tenant)
            .then()
            .statusCode(200)
            .contentType("text/csv")
            .extract()
            .asString();
    String[] rows = csv.split("\n");
    assertThat(rows).hasSize(2);
    assertThat(rows[0]).startsWith("commandId,receivedAt,");
    assertThat(rows[1]).startsWith(first.toString()).contains(",'=cmd|calc@contoso.com,");
  }

  @Test
  void openApiDocumentDescribesTheSupportApi() {
    given()
        .queryParam("format", "json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("paths", notNullValue())
        .body("paths.'/audit/v1/tenants/{tenantId}/operations'.get", notNullValue())
        .body("paths.'/audit/v1/tenants/{tenantId}/operations'.get.security", notNullValue())
        .body("components.securitySchemes", notNullValue());
  }

  private JsonPath list(String tenant, String param, String value) {
    return given()
        .auth()
        .oauth2(supportToken())
        .queryParam(param, value)
        .get("/audit/v1/tenants/{t}/operations", tenant)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private void insertRow(
      String tenant,
      UUID id,
      Instant receivedAt,
      String status,
      Integer http,
      String scimType,
      String userName)
      throws Exception {
    AuditFixtures.insertRow(dataSource, tenant, id, receivedAt, status, http, scimType, userName);
  }
}
