package io.provisioninghub.gateway.bulk;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.provisioninghub.contracts.ContractFormatException;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.OutcomeStatus;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.gateway.TestTenants;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /Bulk} on the real broker, with a play processor answering the commands: bulkId
 * references resolved in dependency order, per-operation status, location, version and SCIM error,
 * failOnErrors, the advertised limits enforced, one rate-limit token per operation, refusals
 * audited as single requests' are, independent operations in flight at once.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class BulkTest {

  @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
  java.net.URL ready;

  @jakarta.inject.Inject io.micrometer.core.instrument.MeterRegistry registry;

  static final String TENANT = "bulk-" + UUID.randomUUID().toString().substring(0, 8);
  static final String TOKEN = TestTenants.newSecret();
  static final String LIMITED = "bulk-limited-" + UUID.randomUUID().toString().substring(0, 8);
  static final String LIMITED_TOKEN = TestTenants.newSecret();
  static PlayProcessor processor;
  static PlayProcessor limitedProcessor;
  static TopicProbe outcomes;
  static boolean onboarded;

  @BeforeAll
  static void start() {
    String kafka = Infrastructure.shared().kafka().bootstrapServers();
    processor = new PlayProcessor(kafka, TENANT, 4);
    limitedProcessor = new PlayProcessor(kafka, LIMITED, 1);
    outcomes = TopicProbe.open(kafka, Topics.OUTCOMES);
  }

  @AfterAll
  static void stop() {
    processor.close();
    limitedProcessor.close();
    outcomes.close();
  }

  @BeforeEach
  void awaitReady() {
    await().atMost(Duration.ofSeconds(60)).until(() -> RestAssured.get(ready).statusCode() == 200);
    if (!onboarded) {
      TestTenants.onboard(TENANT, TOKEN, new TenantSnapshot.RateLimit(2000, 2000));
      onboarded = true;
    }
  }

  @Test
  void serviceProviderConfigAdvertisesBulkWithItsLimits() {
    given()
        .auth()
        .oauth2(TOKEN)
        .get("/scim/v2/ServiceProviderConfig")
        .then()
        .statusCode(200)
        .body("bulk.supported", equalTo(true))
        .body("bulk.maxOperations", equalTo(500))
        .body("bulk.maxPayloadSize", equalTo(1048576))
        // The page cap's default (phub.gateway.list.max-results), advertised twice.
        .body("filter.maxResults", equalTo(1000))
        .body("pagination.maxPageSize", equalTo(1000))
        .body("pagination.defaultPageSize", equalTo(100));
  }

  /**
   * The group comes first in the request and names users created later in it: it is sent once both
   * users exist, with their ids in place of the bulkIds; a PUT on a user created in the same
   * request goes to its id with the given version.
   */
  @Test
  void groupWithMembersCreatedInTheSameRequestInAnyOrder() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String body =
        bulk(
            null,
            op(
                "POST",
                "/Groups",
                "g",
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],"
                    + "\"displayName\":\"team-"
                    + run
                    + "\",\"members\":[{\"value\":\"bulkId:alice\"},{\"value\":\"bulkId:bob\"}]}"),
            op("POST", "/Users", "alice", user("alice-" + run)),
            op("POST", "/users", "bob", user("bob-" + run)),
            op(
                "PUT",
                "/Users/bulkId:alice",
                null,
                user("alice-" + run).replace("}", ",\"displayName\":\"Alice\"}"),
                "W/\\\"1\\\""));
    JsonPath response = post(TOKEN, body).then().statusCode(200).extract().jsonPath();
    assertThat(response.getList("schemas"))
        .containsExactly("urn:ietf:params:scim:api:messages:2.0:BulkResponse");
    List<Map<String, Object>> ops = response.getList("Operations");
    assertThat(ops).hasSize(4);
    assertThat(ops).extracting(o -> o.get("status")).containsExactly("201", "201", "201", "200");
    assertThat(ops).extracting(o -> o.get("bulkId")).containsExactly("g", "alice", "bob", null);
    assertThat(ops).extracting(o -> o.get("method")).containsExactly("POST", "POST", "POST", "PUT");
    String alice = id((String) ops.get(1).get("location"), "/scim/v2/Users/");
    String bob = id((String) ops.get(2).get("location"), "/scim/v2/Users/");
    id((String) ops.get(0).get("location"), "/scim/v2/Groups/");
    assertThat(ops.get(1).get("version")).isEqualTo("W/\"1\"");
    assertThat(ops.get(3).get("location")).isEqualTo(ops.get(1).get("location"));
    assertThat(ops.get(3).get("version")).isEqualTo("W/\"2\"");

    ProvisioningCommand group =
        processor.commands().stream()
            .filter(c -> c.payload() != null && c.payload().toString().contains("team-" + run))
            .findFirst()
            .orElseThrow();
    assertThat(group.payload().get("members").findValuesAsText("value"))
        .containsExactlyInAnyOrder(alice, bob);
    ProvisioningCommand put =
        processor.commands().stream()
            .filter(c -> c.operation() == Operation.REPLACE && c.resourceId().equals(alice))
            .findFirst()
            .orElseThrow();
    assertThat(put.expectedVersion()).isEqualTo(1L);
    // The group and the PUT were published only after the users they reference were answered.
    List<UUID> order = processor.commands().stream().map(c -> c.commandId()).toList();
    assertThat(order.indexOf(group.commandId()))
        .isGreaterThan(indexOfCreate(alice))
        .isGreaterThan(indexOfCreate(bob));
  }

  @Test
  void aBadOperationGetsItsScimErrorWhileTheOthersApply() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String body =
        bulk(
            null,
            op("POST", "/Users", "ok", user("ok-" + run)),
            op(
                "POST",
                "/Users",
                "nameless",
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"active\":true}"),
            op("POST", "/Users", "dup", user("taken-" + run)),
            op("DELETE", "/Users/not-a-uuid", null, null),
            op(
                "PATCH",
                "/Groups/bulkId:nowhere",
                null,
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                    + "\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"x\"}]}]}"),
            op("POST", "/Groups", "a", group("a-" + run, "bulkId:b")),
            op("POST", "/Groups", "b", group("b-" + run, "bulkId:a")),
            op("POST", "/Groups", "c", group("c-" + run, "bulkId:dup")),
            "{\"method\":\"GET\",\"path\":\"/Users\"}",
            op("DELETE", "/Users/" + UUID.randomUUID(), null, null));
    JsonPath response = post(TOKEN, body).then().statusCode(200).extract().jsonPath();
    List<Map<String, Object>> ops = response.getList("Operations");
    assertThat(ops)
        .extracting(o -> o.get("status"))
        .containsExactly("201", "400", "409", "404", "400", "409", "409", "409", "400", "204");
    assertThat(response.getString("Operations[1].response.scimType")).isEqualTo("invalidValue");
    assertThat(response.getString("Operations[1].response.schemas[0]"))
        .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
    assertThat(response.getString("Operations[1].response.status")).isEqualTo("400");
    assertThat(response.getString("Operations[2].response.scimType")).isEqualTo("uniqueness");
    assertThat(response.getString("Operations[4].response.detail")).contains("nowhere");
    assertThat(response.getString("Operations[5].response.detail")).contains("circle");
    assertThat(response.getString("Operations[7].response.detail")).contains("references");
    assertThat(response.getString("Operations[8].response.detail")).contains("method");
    assertThat(response.getString("Operations[0].location")).contains("/scim/v2/Users/");
    assertThat(response.getString("Operations[9].location")).contains("/scim/v2/Users/");
    // Nothing was sent for the operations refused before a command.
    assertThat(
            processor.commands().stream()
                .filter(c -> c.payload() != null && c.payload().toString().contains(run))
                .map(c -> c.payload().path("userName").asText())
                .collect(Collectors.toList()))
        .containsExactlyInAnyOrder("ok-" + run + "@contoso.com", "taken-" + run + "@contoso.com");
    // The gateway's refusal of the nameless user is audited like a single request's.
    ProvisioningOutcome rejected =
        outcomes
            .await(
                r -> {
                  // Other tests of this module put records that are not outcomes on the topic.
                  ProvisioningOutcome o = outcomeOrNull(r.value());
                  return o != null
                      && o.status() == OutcomeStatus.REJECTED
                      && TENANT.equals(o.tenantId())
                      && o.httpStatus() == 400
                      && "invalidValue".equals(o.scimType());
                },
                1,
                Duration.ofSeconds(10))
            .stream()
            .map(r -> ContractJson.outcome(r.value()))
            .findFirst()
            .orElseThrow();
    assertThat(rejected.rejectedRequest().path()).isEqualTo("/scim/v2/Users");
    assertThat(rejected.rejectedRequest().method()).isEqualTo("POST");
  }

  @Test
  void failOnErrorsStopsStartingOperations() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String body =
        bulk(
            1,
            op(
                "POST",
                "/Users",
                "bad",
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"]}"),
            op("POST", "/Users", "later1", user("later1-" + run)),
            op("POST", "/Users", "later2", user("later2-" + run)));
    JsonPath response = post(TOKEN, body).then().statusCode(200).extract().jsonPath();
    List<Map<String, Object>> ops = response.getList("Operations");
    assertThat(ops).hasSize(1);
    assertThat(ops.get(0).get("bulkId")).isEqualTo("bad");
    assertThat(ops.get(0).get("status")).isEqualTo("400");
    assertThat(processor.commands())
        .noneMatch(c -> c.payload() != null && c.payload().toString().contains(run));

    // Without failOnErrors every operation runs.
    String all =
        bulk(
            null,
            op(
                "POST",
                "/Users",
                "bad",
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"]}"),
            op("POST", "/Users", "later1", user("again1-" + run)));
    assertThat(
            post(TOKEN, all)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("Operations.status"))
        .containsExactly("400", "201");
  }

  /**
   * The play processor answers none of these creates before all four arrived: sent one after the
   * other, the first would wait for its outcome until the reply timeout.
   */
  @Test
  void independentOperationsAreInFlightAtOnce() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> ops = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ops.add(op("POST", "/Users", "t" + i, user("together-" + i + "-" + run)));
    }
    JsonPath response =
        post(TOKEN, bulk(null, ops.toArray(String[]::new)))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(response.getList("Operations.status")).containsExactly("201", "201", "201", "201");
  }

  /**
   * No outcome comes for the first operation (503 after the reply timeout): the request stops, and
   * the operation that waited for it is answered 503 as not attempted, not held for another
   * timeout.
   */
  @Test
  void aTimedOutOperationStopsTheRequestAndTheRestAreNotAttempted() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String body =
        bulk(
            null,
            op("POST", "/Users", "s", user("silent-" + run)),
            op(
                "POST",
                "/Users",
                "after",
                user("after-" + run)
                    .replace(
                        "}",
                        ",\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":"
                            + "{\"manager\":{\"value\":\"bulkId:s\"}}}")));
    JsonPath response = post(TOKEN, body).then().statusCode(200).extract().jsonPath();
    assertThat(response.getList("Operations.status")).containsExactly("503", "503");
    assertThat(response.getString("Operations[0].response.detail"))
        .contains("may still be applied");
    assertThat(response.getString("Operations[1].response.detail")).contains("not attempted");
    assertThat(processor.commands())
        .noneMatch(c -> c.payload() != null && c.payload().toString().contains("after-" + run));
  }

  @Test
  void tooManyOperationsIs413WithAScimError() {
    List<String> ops = new ArrayList<>();
    for (int i = 0; i < 501; i++) {
      ops.add("{\"method\":\"DELETE\",\"path\":\"/Users/" + UUID.randomUUID() + "\"}");
    }
    post(TOKEN, bulk(null, ops.toArray(String[]::new)))
        .then()
        .statusCode(413)
        .contentType(startsWith("application/scim+json"))
        .body("schemas[0]", equalTo("urn:ietf:params:scim:api:messages:2.0:Error"))
        .body("status", equalTo("413"))
        .body("detail", org.hamcrest.Matchers.containsString("maxOperations"));
    // Exactly the advertised maximum is accepted (each operation here is refused on its own).
    ops.remove(0);
    List<String> invalid = ops.stream().map(o -> o.replace("DELETE", "GET")).toList();
    assertThat(
            post(TOKEN, bulk(null, invalid.toArray(String[]::new)))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("Operations"))
        .hasSize(500);
  }

  @Test
  void aBodyOverMaxPayloadSizeIs413WithAScimError() {
    String big = "x".repeat(1_100_000);
    post(TOKEN, bulk(null, op("POST", "/Users", "big", user(big))))
        .then()
        .statusCode(413)
        .contentType(startsWith("application/scim+json"))
        .body("status", equalTo("413"))
        .body("detail", org.hamcrest.Matchers.containsString("maxPayloadSize"));
  }

  @Test
  void notABulkRequestIs400() {
    post(TOKEN, "{\"Operations\":[]}")
        .then()
        .statusCode(400)
        .body("scimType", equalTo("invalidSyntax"));
    post(
            TOKEN,
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],"
                + "\"failOnErrors\":0,\"Operations\":[]}")
        .then()
        .statusCode(400)
        .body("scimType", equalTo("invalidValue"));
  }

  /**
   * A tenant allowed a burst of 4, one of them taken by onboarding's check: the request's own token
   * pays for the first operation, two more for the next two; the rest get 429.
   */
  @Test
  void eachOperationTakesOneTokenOfTheTenantsRateLimit() {
    TestTenants.onboard(LIMITED, LIMITED_TOKEN, new TenantSnapshot.RateLimit(1, 4));
    double limitedBefore = rateLimited();
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> ops = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ops.add(op("POST", "/Users", "r" + i, user("limited-" + i + "-" + run)));
    }
    JsonPath response =
        post(LIMITED_TOKEN, bulk(null, ops.toArray(String[]::new)))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(response.getList("Operations.status"))
        .containsExactly("201", "201", "201", "429", "429");
    assertThat(response.getString("Operations[3].response.detail")).contains("retry after");
    // Counted as rate-limit refusals, as two refused single requests would be.
    assertThat(rateLimited() - limitedBefore).isEqualTo(2.0);
  }

  private double rateLimited() {
    io.micrometer.core.instrument.Counter c =
        registry.find(io.provisioninghub.gateway.metrics.RefusalMetrics.RATE_LIMITED).counter();
    return c == null ? 0 : c.count();
  }

  private int indexOfCreate(String id) {
    List<ProvisioningCommand> all = processor.commands();
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).operation() == Operation.CREATE && all.get(i).resourceId().equals(id)) {
        return i;
      }
    }
    throw new AssertionError("no create of " + id);
  }

  private static String id(String location, String path) {
    assertThat(location).contains(path);
    String id = location.substring(location.indexOf(path) + path.length());
    assertThat(UUID.fromString(id).toString()).isEqualTo(id);
    return id;
  }

  static io.restassured.response.Response post(String token, String body) {
    return given()
        .auth()
        .oauth2(token)
        .contentType("application/scim+json")
        .body(body)
        .post("/scim/v2/Bulk");
  }

  static String bulk(Integer failOnErrors, String... operations) {
    return "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],"
        + (failOnErrors == null ? "" : "\"failOnErrors\":" + failOnErrors + ",")
        + "\"Operations\":["
        + String.join(",", operations)
        + "]}";
  }

  static String op(String method, String path, String bulkId, String data) {
    return op(method, path, bulkId, data, null);
  }

  static String op(String method, String path, String bulkId, String data, String version) {
    return "{\"method\":\""
        + method
        + "\",\"path\":\""
        + path
        + "\""
        + (bulkId == null ? "" : ",\"bulkId\":\"" + bulkId + "\"")
        + (version == null ? "" : ",\"version\":\"" + version + "\"")
        + (data == null ? "" : ",\"data\":" + data)
        + "}";
  }

  static String user(String name) {
    return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
        + name
        + "@contoso.com\"}";
  }

  static String group(String name, String member) {
    return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\""
        + name
        + "\",\"members\":[{\"value\":\""
        + member
        + "\"}]}";
  }

  private static ProvisioningOutcome outcomeOrNull(byte[] value) {
    try {
      return ContractJson.outcome(value);
    } catch (ContractFormatException notAnOutcome) {
      return null;
    }
  }
}
