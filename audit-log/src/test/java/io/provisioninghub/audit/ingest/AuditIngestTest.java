package io.provisioninghub.audit.ingest;

import static io.provisioninghub.audit.AuditFixtures.applied;
import static io.provisioninghub.audit.AuditFixtures.createUser;
import static io.provisioninghub.audit.AuditFixtures.failed;
import static io.provisioninghub.audit.AuditFixtures.json;
import static io.provisioninghub.audit.AuditFixtures.rejected;
import static io.provisioninghub.audit.AuditFixtures.send;
import static io.provisioninghub.audit.AuditFixtures.supportToken;
import static io.provisioninghub.audit.AuditFixtures.tenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.provisioninghub.audit.AuditFixtures;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.RejectedRequest;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Commands and outcomes on the real broker end up as one row each, findable by support. */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class AuditIngestTest {

  // Health is served on the management port, not on the API port.
  @io.quarkus.test.common.http.TestHTTPResource(value = "/health/live", management = true)
  java.net.URL live;

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject AgroalDataSource dataSource;

  @Test
  void failedCreateIsFindableWithReasonAndRecommendedAction() {
    String tenant = tenant();
    ProvisioningCommand create = createUser(tenant, "alice@contoso.com");
    ProvisioningOutcome conflict =
        failed(create, 409, "uniqueness", "userName 'alice@contoso.com' is already taken");

    send(create);
    send(conflict);

    JsonPath row = awaitOperation(tenant, create.commandId(), "failure");
    assertThat(row.getString("operation")).isEqualTo("create");
    assertThat(row.getString("scimOperation")).isEqualTo("CREATE");
    assertThat(row.getInt("httpStatus")).isEqualTo(409);
    assertThat(row.getString("scimType")).isEqualTo("uniqueness");
    assertThat(row.getString("reason")).isEqualTo("userName 'alice@contoso.com' is already taken");
    assertThat(row.getString("recommendedAction"))
        .startsWith("userName already exists in this tenant")
        .contains("matching attribute");
    assertThat(row.getString("target.userName")).isEqualTo("alice@contoso.com");
    assertThat(row.getString("target.externalId")).isEqualTo("ext-alice@contoso.com");
    assertThat(row.getString("clientRequestId")).isEqualTo(create.clientRequestId());
    assertThat(row.getLong("durationMs")).isEqualTo(42L);
    assertThat(row.getList("changedAttributes", String.class))
        .contains("userName", "password", "emails", "name")
        .doesNotContain("schemas");

    // and it is found by the support query for the user
    given()
        .auth()
        .oauth2(supportToken())
        .queryParam("target", "ALICE@contoso.com")
        .queryParam("status", "failure")
        .get("/audit/v1/tenants/{t}/operations", tenant)
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(1))
        .body("items[0].commandId", equalTo(create.commandId().toString()))
        .body("nextCursor", equalTo(null));
  }

  @Test
  void rejectionWithoutCommandIsStoredAsARow() {
    String tenant = tenant();
    ProvisioningOutcome rejection =
        rejected(tenant, 400, "invalidFilter", "the filter 'nickName co \"x\"' is not supported");

    send(rejection);

    JsonPath row = awaitOperation(tenant, rejection.commandId(), "rejected");
    assertThat(row.getInt("httpStatus")).isEqualTo(400);
    assertThat(row.getString("scimType")).isEqualTo("invalidFilter");
    assertThat(row.getBoolean("commandSeen")).isFalse();
    assertThat(row.getBoolean("outcomeSeen")).isTrue();
    assertThat(row.getString("operation")).isNull();
    assertThat(row.getString("recommendedAction")).contains("filter");
    given()
        .auth()
        .oauth2(supportToken())
        .queryParam("status", "rejected")
        .queryParam("scimType", "invalidFilter")
        .get("/audit/v1/tenants/{t}/operations", tenant)
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(1));
  }

  @Test
  void refusedReadOfADiscoveryDocumentIsAboutThatDocumentNotAUser() {
    String tenant = tenant();
    String urn = "urn:ietf:params:scim:schemas:extension:contoso:2.0:User";
    ProvisioningOutcome schema =
        ProvisioningOutcome.rejected(
            tenant,
            404,
            null,
            "Schema " + urn + " not found",
            new RejectedRequest(
                "GET", "/scim/v2/Schemas/" + urn, null, null, null, "req-schema", Instant.now()));
    ProvisioningOutcome user =
        ProvisioningOutcome.rejected(
            tenant,
            404,
            null,
            "no user with id 'x'",
            new RejectedRequest(
                "GET", "/scim/v2/Users/x", ResourceType.User, "x", null, null, Instant.now()));
    ProvisioningOutcome bulk =
        ProvisioningOutcome.rejected(
            tenant,
            413,
            null,
            "too many operations",
            new RejectedRequest(
                "POST", "/scim/v2/bulk", null, null, Operation.CREATE, null, Instant.now()));

    send(schema);
    send(user);
    send(bulk);

    JsonPath schemaRow = awaitOperation(tenant, schema.commandId(), "rejected");
    assertThat(schemaRow.getString("resourceType")).isEqualTo("Schema");
    assertThat(schemaRow.getString("operation")).isEqualTo("read");
    assertThat(schemaRow.getString("reason")).isEqualTo("Schema " + urn + " not found");
    assertThat(schemaRow.getString("recommendedAction"))
        .contains("schema the application does not serve")
        .doesNotContainIgnoringCase("user");
    JsonPath userRow = awaitOperation(tenant, user.commandId(), "rejected");
    assertThat(userRow.getString("resourceType")).isEqualTo("User");
    assertThat(userRow.getString("recommendedAction"))
        .contains("read a user id the application does not have");
    JsonPath bulkRow = awaitOperation(tenant, bulk.commandId(), "rejected");
    assertThat(bulkRow.getString("resourceType")).isEqualTo("Bulk");
    assertThat(bulkRow.getString("recommendedAction")).contains("bulk.maxOperations");
    // the summary gives each its own advice: a 404 on a schema is not grouped with a user's
    JsonPath summary =
        given()
            .auth()
            .oauth2(supportToken())
            .get("/audit/v1/tenants/{t}/summary", tenant)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(summary.getList("topFailureReasons.resourceType", String.class))
        .containsExactlyInAnyOrder("Schema", "User", "Bulk");
    assertThat(
            summary.getString(
                "topFailureReasons.find { it.resourceType == 'Schema' }.recommendedAction"))
        .contains("schema the application does not serve");
    assertThat(
            summary.getString(
                "topFailureReasons.find { it.resourceType == 'User' }.recommendedAction"))
        .contains("read a user id");
    // support can narrow the list to discovery refusals
    given()
        .auth()
        .oauth2(supportToken())
        .queryParam("resourceType", "schema")
        .get("/audit/v1/tenants/{t}/operations", tenant)
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(1))
        .body("items[0].commandId", equalTo(schema.commandId().toString()));
  }

  @Test
  void redeliveryAndOutcomeBeforeCommandGiveOneRow() throws Exception {
    String tenant = tenant();
    ProvisioningCommand create = createUser(tenant, "bob@contoso.com");
    ProvisioningOutcome ok =
        applied(
            create,
            json(
                "{\"id\":\""
                    + create.resourceId()
                    + "\",\"userName\":\"bob@contoso.com\",\"meta\":{\"resourceType\":\"User\"}}"));

    send(ok);
    send(create);
    send(ok);
    send(create);

    // Markers on the same partitions: once they are stored, so are the four records before them.
    ProvisioningCommand marker =
        AuditFixtures.command(tenant, Operation.DELETE, create.resourceId(), null);
    send(marker);
    send(failed(marker, 404, "noTarget", "marker"));
    await()
        .atMost(WAIT)
        .until(
            () -> awaitOperation(tenant, marker.commandId(), "failure").getBoolean("commandSeen"));

    assertThat(rows(create.commandId())).isEqualTo(1);
    JsonPath row = operation(tenant, create.commandId());
    assertThat(row.getString("status")).isEqualTo("success");
    assertThat(row.getBoolean("commandSeen")).isTrue();
    assertThat(row.getString("receivedAt")).isEqualTo(create.receivedAt().toString());
    assertThat(row.getLong("durationMs")).isEqualTo(7L);
    assertThat(row.getString("recommendedAction")).isNull();
    assertThat(row.getString("resourceId")).isEqualTo(create.resourceId());
  }

  @Test
  void disablePatchIsRecognisedAndTargetComesFromTheOutcome() {
    String tenant = tenant();
    String id = UUID.randomUUID().toString();
    ProvisioningCommand disable =
        AuditFixtures.command(
            tenant,
            Operation.PATCH,
            id,
            json(
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                    + "\"Operations\":[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]}"));
    ProvisioningOutcome ok =
        ProvisioningOutcome.applied(
            disable,
            200,
            json("{\"id\":\"" + id + "\",\"userName\":\"carol@contoso.com\",\"active\":false}"),
            2,
            disable.receivedAt().plusMillis(3));

    send(disable);
    send(ok);

    JsonPath row = awaitOperation(tenant, disable.commandId(), "success");
    assertThat(row.getString("operation")).isEqualTo("disable");
    assertThat(row.getString("scimOperation")).isEqualTo("PATCH");
    assertThat(row.getList("changedAttributes", String.class)).containsExactly("active");
    assertThat(row.getString("target.userName")).isEqualTo("carol@contoso.com");
  }

  @Test
  void unreadableRecordIsSkippedAndRecordedWithoutItsBody() throws Exception {
    String tenant = tenant();
    String key = tenant + "/User/" + UUID.randomUUID();
    TopicProbe.send(
        AuditFixtures.bootstrap(),
        Topics.COMMANDS,
        key,
        "{not json, password=hunter2".getBytes(StandardCharsets.UTF_8),
        null);
    ProvisioningCommand next = createUser(tenant, "after-poison@contoso.com");
    send(next);

    awaitOperation(tenant, next.commandId(), "pending");
    await()
        .atMost(WAIT)
        .until(() -> skippedReasons().stream().anyMatch(r -> r.contains("not JSON")));
    assertThat(skippedReasons()).noneMatch(r -> r.contains("hunter2"));
    given()
        .get(live)
        .then()
        .statusCode(200)
        .body(
            "checks.find { it.name == 'audit-ingest' }.data.skippedRecords",
            org.hamcrest.Matchers.greaterThanOrEqualTo(1));
  }

  @Test
  void recordTheDatabaseRefusesIsSkippedAndTheRestOfItsBatchStored() throws Exception {
    String tenant = tenant();
    // Random text too large for a btree index row (SQL state 54000): it can never be stored.
    StringBuilder huge = new StringBuilder();
    while (huge.length() < 20_000) {
      huge.append(UUID.randomUUID());
    }
    ProvisioningCommand unstorable = createUser(tenant, huge + "@contoso.com");
    ProvisioningCommand next = createUser(tenant, "after-nul@contoso.com");
    send(unstorable);
    send(next);

    awaitOperation(tenant, next.commandId(), "pending");
    await()
        .atMost(WAIT)
        .until(() -> skippedReasons().stream().anyMatch(r -> r.startsWith("cannot be stored")));
    given()
        .auth()
        .oauth2(supportToken())
        .get("/audit/v1/tenants/{t}/operations/{id}", tenant, unstorable.commandId())
        .then()
        .statusCode(404);
  }

  /**
   * A body nested 10,000 levels deep cannot even be parsed (Jackson's nesting limit): the record is
   * set aside in skipped_records, the next record is ingested and liveness stays UP.
   */
  @Test
  void deeplyNestedRecordIsSetAsideAndIngestContinues() throws Exception {
    String tenant = tenant();
    ProvisioningCommand carrier = createUser(tenant, "deep@contoso.com");
    long unreadableBefore = skippedReasons().stream().filter(r -> r.startsWith("not JSON")).count();
    TopicProbe.send(
        AuditFixtures.bootstrap(),
        Topics.COMMANDS,
        carrier.kafkaKey(),
        withDeepAttribute(carrier, 10_000),
        null);
    ProvisioningCommand next = createUser(tenant, "after-deep@contoso.com");
    send(next);

    awaitOperation(tenant, next.commandId(), "pending");
    await()
        .atMost(WAIT)
        .until(
            () ->
                skippedReasons().stream().filter(r -> r.startsWith("not JSON")).count()
                    > unreadableBefore);
    given()
        .auth()
        .oauth2(supportToken())
        .get("/audit/v1/tenants/{t}/operations/{id}", tenant, carrier.commandId())
        .then()
        .statusCode(404);
    given().get(live).then().statusCode(200).body("status", equalTo("UP"));
  }

  /**
   * A body just inside the parser's limit (950 levels, as in the finding that stopped the consumer
   * with a StackOverflowError in redaction) is stored, cut at 32 levels.
   */
  @Test
  void nineHundredFiftyDeepBodyIsStoredCutAt32Levels() throws Exception {
    String tenant = tenant();
    ProvisioningCommand deep = createUser(tenant, "deep950@contoso.com");
    TopicProbe.send(
        AuditFixtures.bootstrap(),
        Topics.COMMANDS,
        deep.kafkaKey(),
        withDeepAttribute(deep, 950),
        null);
    ProvisioningCommand next = createUser(tenant, "after-deep950@contoso.com");
    send(next);

    awaitOperation(tenant, next.commandId(), "pending");
    JsonPath row = awaitOperation(tenant, deep.commandId(), "pending");
    assertThat(row.getString("target.userName")).isEqualTo("deep950@contoso.com");
    assertThat(operationBody(tenant, deep.commandId()))
        .contains(io.provisioninghub.audit.redaction.RedactionPolicy.TOO_DEEP)
        .doesNotContain("Sup3rS3cret!");
    given().get(live).then().statusCode(200).body("status", equalTo("UP"));
  }

  /**
   * The processor answers a command with U+0000 in userName 400 (PostgreSQL refuses it): the audit
   * log stores the command (the character replaced by U+FFFD) and its refusal as a failure with the
   * reason and a recommended action.
   */
  @Test
  void nulCommandAndItsRefusalAreAuditedAsAFailure() {
    String tenant = tenant();
    ProvisioningCommand nul = createUser(tenant, "nul\\u0000byte@contoso.com");
    ProvisioningOutcome refused =
        failed(
            nul,
            400,
            "invalidValue",
            "a value contains a character that cannot be stored (U+0000 or an invalid Unicode"
                + " sequence); remove it and send the request again");

    send(nul);
    send(refused);

    JsonPath row = awaitOperation(tenant, nul.commandId(), "failure");
    assertThat(row.getString("operation")).isEqualTo("create");
    assertThat(row.getInt("httpStatus")).isEqualTo(400);
    assertThat(row.getString("scimType")).isEqualTo("invalidValue");
    assertThat(row.getString("reason")).contains("U+0000");
    assertThat(row.getString("recommendedAction")).contains("attribute value was refused");
    assertThat(row.getString("target.userName")).isEqualTo("nul\uFFFDbyte@contoso.com");
  }

  /** The command's JSON with a {@code deep} attribute nested {@code levels} objects deep. */
  private static byte[] withDeepAttribute(ProvisioningCommand command, int levels) {
    String json =
        new String(
            io.provisioninghub.contracts.ContractJson.toBytes(command), StandardCharsets.UTF_8);
    String deep = "{\"a\":".repeat(levels) + "1" + "}".repeat(levels);
    int payload = json.indexOf("\"userName\"");
    return (json.substring(0, payload) + "\"deep\":" + deep + "," + json.substring(payload))
        .getBytes(StandardCharsets.UTF_8);
  }

  private List<String> skippedReasons() throws Exception {
    List<String> reasons = new java.util.ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement("select reason from audit.skipped_records");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        reasons.add(rs.getString(1));
      }
    }
    return reasons;
  }

  @Test
  void deadLetteredCommandIsAFailureNotPending() {
    String tenant = tenant();
    ProvisioningCommand create = createUser(tenant, "heidi@contoso.com");
    send(create);
    awaitOperation(tenant, create.commandId(), "pending");

    RecordHeaders headers = new RecordHeaders();
    headers.add(
        "dead-letter-reason",
        "ERROR: something internal about heidi@contoso.com".getBytes(StandardCharsets.UTF_8));
    TopicProbe.send(
        AuditFixtures.bootstrap(),
        Topics.COMMANDS_DLQ,
        create.kafkaKey(),
        io.provisioninghub.contracts.ContractJson.toBytes(create),
        headers);

    JsonPath row = awaitOperation(tenant, create.commandId(), "failure");
    assertThat(row.getBoolean("deadLettered")).isTrue();
    assertThat(row.getBoolean("commandSeen")).isTrue();
    assertThat(row.getString("reason")).contains("set it aside").doesNotContain("internal");
    assertThat(row.getString("recommendedAction")).contains("retries");
  }

  @Test
  void outcomeFromAnotherTenantNeverChangesARow() {
    String a = tenant();
    String b = tenant();
    ProvisioningCommand inA = createUser(a, "grace@contoso.com");
    send(inA);
    awaitOperation(a, inA.commandId(), "pending");

    ProvisioningOutcome forged =
        new ProvisioningOutcome(
            inA.commandId(),
            b,
            io.provisioninghub.contracts.OutcomeStatus.APPLIED,
            201,
            null,
            null,
            null,
            1,
            AuditFixtures.now());
    send(forged);
    // same key, so same partition: once the marker is stored, the forged outcome was handled
    ProvisioningOutcome marker = rejected(b, 429, null, "marker");
    send(marker);
    awaitOperation(b, marker.commandId(), "rejected");

    assertThat(operation(a, inA.commandId()).getString("status")).isEqualTo("pending");
    given()
        .auth()
        .oauth2(supportToken())
        .get("/audit/v1/tenants/{t}/operations/{id}", b, inA.commandId())
        .then()
        .statusCode(404);
  }

  @Test
  void redactedBodyKeepsNoPasswordAndMasksPii() {
    String tenant = tenant();
    ProvisioningCommand create = createUser(tenant, "dave@contoso.com");
    send(create);

    awaitOperation(tenant, create.commandId(), "pending");
    Map<String, Object> body = operation(tenant, create.commandId()).getMap("requestBody");
    assertThat(body).doesNotContainKey("password");
    assertThat(body.get("userName")).isEqualTo("dave@contoso.com");
    assertThat(body.get("name")).isEqualTo(Map.of("givenName", "***", "familyName", "***"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> emails = (List<Map<String, Object>>) body.get("emails");
    assertThat(emails.get(0)).containsEntry("value", "***").containsEntry("type", "work");
    String raw = operationBody(tenant, create.commandId());
    assertThat(raw).doesNotContain("Sup3rS3cret!").doesNotContain("Liddell");
  }

  static JsonPath awaitOperation(String tenant, UUID commandId, String status) {
    return await()
        .atMost(WAIT)
        .until(
            () -> {
              var response =
                  given()
                      .auth()
                      .oauth2(supportToken())
                      .get("/audit/v1/tenants/{t}/operations/{id}", tenant, commandId);
              return response.statusCode() == 200 ? response.jsonPath() : null;
            },
            row -> row != null && status.equals(row.getString("status")));
  }

  static JsonPath operation(String tenant, UUID commandId) {
    return given()
        .auth()
        .oauth2(supportToken())
        .get("/audit/v1/tenants/{t}/operations/{id}", tenant, commandId)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  static String operationBody(String tenant, UUID commandId) {
    return given()
        .auth()
        .oauth2(supportToken())
        .get("/audit/v1/tenants/{t}/operations/{id}", tenant, commandId)
        .then()
        .statusCode(200)
        .extract()
        .asString();
  }

  private long rows(UUID commandId) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st =
            c.prepareStatement("select count(*) from audit.operations where command_id = ?")) {
      st.setObject(1, commandId);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
