package io.provisioninghub.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.OutcomeStatus;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Endpoint names in any case reach the same resources (RFC 7644 clients and Microsoft's reference
 * tooling send {@code /users}, {@code /groups}, {@code /serviceproviderconfig}), and every link the
 * gateway answers with is in the canonical spelling. Writes are answered by a stand-in processor on
 * the real broker; reads come from the real database.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class CaseInsensitivePathsTest {

  @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
  java.net.URL ready;

  static final String TENANT = "paths-" + UUID.randomUUID();
  static final String TOKEN = TestTenants.newSecret();
  static final String CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  static TopicProbe commands;
  static boolean onboarded;

  @BeforeAll
  static void probe() throws Exception {
    commands = TopicProbe.open(Infrastructure.shared().kafka().bootstrapServers(), Topics.COMMANDS);
    createScimSchema();
  }

  @AfterAll
  static void close() {
    commands.close();
  }

  @BeforeEach
  void awaitReady() {
    await().atMost(Duration.ofSeconds(60)).until(() -> RestAssured.get(ready).statusCode() == 200);
    if (!onboarded) {
      TestTenants.onboard(TENANT, TOKEN, new TenantSnapshot.RateLimit(1000, 1000));
      onboarded = true;
    }
  }

  @Test
  void discoveryEndpointsAnswerInAnyCaseWithCanonicalLocations() {
    for (String path :
        List.of(
            "/scim/v2/serviceproviderconfig",
            "/scim/v2/SERVICEPROVIDERCONFIG",
            "/scim/v2/ServiceProviderConfig")) {
      get(path)
          .then()
          .statusCode(200)
          .body("meta.location", endsWith("/scim/v2/ServiceProviderConfig"));
    }
    for (String path : List.of("/scim/v2/schemas", "/scim/v2/SCHEMAS")) {
      List<String> locations =
          get(path).then().statusCode(200).extract().path("Resources.meta.location");
      assertThat(locations).isNotEmpty().allMatch(l -> l.contains("/scim/v2/Schemas/urn:"));
    }
    get("/scim/v2/schemas/" + CORE_USER)
        .then()
        .statusCode(200)
        .body("id", equalTo(CORE_USER))
        .body("meta.location", endsWith("/scim/v2/Schemas/" + CORE_USER));
    List<String> types =
        get("/scim/v2/resourcetypes")
            .then()
            .statusCode(200)
            .extract()
            .path("Resources.meta.location");
    assertThat(types)
        .hasSize(2)
        .allMatch(
            l ->
                l.endsWith("/scim/v2/ResourceTypes/User")
                    || l.endsWith("/scim/v2/ResourceTypes/Group"));
    get("/scim/v2/resourceTypes/User")
        .then()
        .statusCode(200)
        .body("meta.location", endsWith("/scim/v2/ResourceTypes/User"));
  }

  @Test
  void userLifecycleThroughLowercasePathsAnswersWithCanonicalLinks() throws Exception {
    String userName = "lower-" + UUID.randomUUID() + "@contoso.com";

    // POST /users
    CompletableFuture<ProvisioningCommand> created =
        answer(r -> new String(r.value()).contains(userName), 201, true);
    Response post =
        given()
            .auth()
            .oauth2(TOKEN)
            .contentType("application/scim+json")
            .body("{\"schemas\":[\"" + CORE_USER + "\"],\"userName\":\"" + userName + "\"}")
            .post("/scim/v2/users");
    assertThat(post.statusCode()).isEqualTo(201);
    String id = created.get(10, TimeUnit.SECONDS).resourceId();
    assertThat(post.header("Location")).endsWith("/scim/v2/Users/" + id);
    assertThat(post.jsonPath().getString("meta.location")).isEqualTo(post.header("Location"));

    // GET /users/{id} and a filtered list, read from the store
    insertUser(UUID.fromString(id), userName);
    get("/scim/v2/users/" + id)
        .then()
        .statusCode(200)
        .body("userName", equalTo(userName))
        .body("meta.location", endsWith("/scim/v2/Users/" + id));
    given()
        .auth()
        .oauth2(TOKEN)
        .queryParam("filter", "userName eq \"" + userName + "\"")
        .get("/scim/v2/USERS")
        .then()
        .statusCode(200)
        .body("totalResults", equalTo(1))
        .body("Resources[0].meta.location", endsWith("/scim/v2/Users/" + id));

    // PATCH /users/{ID}: the id as sent in upper case, the link with the id as stored
    String key = TENANT + "/User/" + id;
    CompletableFuture<ProvisioningCommand> patched = answer(r -> key.equals(r.key()), 200, true);
    given()
        .auth()
        .oauth2(TOKEN)
        .contentType("application/scim+json")
        .body(
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}")
        .patch("/scim/v2/uSeRs/" + id.toUpperCase(Locale.ROOT))
        .then()
        .statusCode(200)
        .body("meta.location", endsWith("/scim/v2/Users/" + id));
    assertThat(patched.get(10, TimeUnit.SECONDS).operation()).isEqualTo(Operation.PATCH);

    // DELETE /users/{id}
    CompletableFuture<ProvisioningCommand> deleted =
        answer(
            r ->
                key.equals(r.key())
                    && r.value() != null
                    && new String(r.value()).contains("DELETE"),
            204,
            false);
    given().auth().oauth2(TOKEN).delete("/scim/v2/users/" + id).then().statusCode(204);
    assertThat(deleted.get(10, TimeUnit.SECONDS).operation()).isEqualTo(Operation.DELETE);
  }

  @Test
  void groupCreateThroughLowercasePathIsLocatedUnderGroups() throws Exception {
    String name = "lower-group-" + UUID.randomUUID();
    CompletableFuture<ProvisioningCommand> created =
        answer(r -> new String(r.value()).contains(name), 201, true);
    Response post =
        given()
            .auth()
            .oauth2(TOKEN)
            .contentType("application/scim+json")
            .body(
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],"
                    + "\"displayName\":\""
                    + name
                    + "\"}")
            .post("/scim/v2/groups");
    assertThat(post.statusCode()).isEqualTo(201);
    ProvisioningCommand command = created.get(10, TimeUnit.SECONDS);
    assertThat(command.resourceType()).isEqualTo(ResourceType.Group);
    assertThat(post.header("Location")).endsWith("/scim/v2/Groups/" + command.resourceId());
    assertThat(post.jsonPath().getString("meta.location")).isEqualTo(post.header("Location"));
  }

  /** The rewrite happens before the resources: a refusal is audited under the canonical path. */
  @Test
  void aRefusalOnALowercasePathIsAuditedUnderTheCanonicalPath() {
    String marker = "lower-refused-" + UUID.randomUUID();
    try (TopicProbe outcomes =
        TopicProbe.open(Infrastructure.shared().kafka().bootstrapServers(), Topics.OUTCOMES)) {
      given()
          .auth()
          .oauth2(TOKEN)
          .header("client-request-id", marker)
          .get("/scim/v2/users/not-a-uuid")
          .then()
          .statusCode(404);
      ProvisioningOutcome outcome =
          ContractJson.outcome(
              outcomes
                  .awaitOne(r -> new String(r.value()).contains(marker), Duration.ofSeconds(10))
                  .value());
      assertThat(outcome.status()).isEqualTo(OutcomeStatus.REJECTED);
      assertThat(outcome.rejectedRequest().path()).isEqualTo("/scim/v2/Users/not-a-uuid");
      assertThat(outcome.rejectedRequest().resourceType()).isEqualTo(ResourceType.User);
    }
  }

  @Test
  void onlyEndpointNamesAreMatchedLoosely() {
    get("/scim/v2/userz").then().statusCode(404);
    get("/scim/v2/users-extra").then().statusCode(404);
  }

  private static Response get(String path) {
    return given().auth().oauth2(TOKEN).get(path);
  }

  /**
   * Plays the processor for one command: the first matching command gets an APPLIED outcome on its
   * reply partition, with a snapshot of the resource if {@code withResource}.
   */
  private static CompletableFuture<ProvisioningCommand> answer(
      java.util.function.Predicate<ConsumerRecord<String, byte[]>> matching,
      int status,
      boolean withResource) {
    java.util.Set<UUID> seen =
        commands.records().stream()
            .map(CaseInsensitivePathsTest::commandId)
            .collect(java.util.stream.Collectors.toSet());
    return CompletableFuture.supplyAsync(
        () -> {
          ConsumerRecord<String, byte[]> request =
              commands.awaitOne(
                  r -> commandId(r) != null && matching.test(r) && !seen.contains(commandId(r)),
                  Duration.ofSeconds(10));
          ProvisioningCommand command = ContractJson.command(request.value());
          ObjectNode resource = null;
          if (withResource) {
            resource =
                command.payload() == null
                        || !command.payload().isObject()
                        || command.operation() == Operation.PATCH
                    ? ContractJson.mapper().createObjectNode()
                    : ((ObjectNode) command.payload()).deepCopy();
            resource.put("id", command.resourceId());
            resource.putObject("meta").put("resourceType", command.resourceType().name());
          }
          RecordHeaders reply = new RecordHeaders();
          reply.add(
              "REPLY_CORRELATION_ID", request.headers().lastHeader("REPLY_CORRELATION_ID").value());
          Properties props = new Properties();
          props.put(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
              Infrastructure.shared().kafka().bootstrapServers());
          try (KafkaProducer<String, byte[]> producer =
              new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer
                .send(
                    new ProducerRecord<>(
                        Topics.OUTCOMES,
                        io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply
                            .replyPartitionFromBytes(
                                request.headers().lastHeader("REPLY_PARTITION").value()),
                        command.kafkaKey(),
                        ContractJson.toBytes(
                            ProvisioningOutcome.applied(
                                command, status, resource, 2, Instant.now())),
                        reply))
                .get(10, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return command;
        });
  }

  /** The command id of a record, or null if it is not a command (other tests send poison). */
  private static UUID commandId(ConsumerRecord<String, byte[]> record) {
    try {
      return ContractJson.command(record.value()).commandId();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void insertUser(UUID id, String userName) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement insert =
            c.prepareStatement(
                "insert into scim.users (tenant_id, id, user_name, resource, version, created,"
                    + " last_modified) values (?, ?, ?, ?::jsonb, 1, now(), now())")) {
      insert.setString(1, TENANT);
      insert.setObject(2, id);
      insert.setString(3, userName);
      insert.setString(
          4, "{\"schemas\":[\"" + CORE_USER + "\"],\"userName\":\"" + userName + "\"}");
      insert.executeUpdate();
    }
  }

  /** The processor's own migrations, so the gateway reads the table the processor writes. */
  private static void createScimSchema() throws Exception {
    io.provisioninghub.gateway.ScimSchema.ensure();
  }
}
