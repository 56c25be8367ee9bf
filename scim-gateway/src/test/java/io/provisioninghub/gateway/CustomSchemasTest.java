package io.provisioninghub.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ExtensionSchema;
import io.provisioninghub.contracts.ExtensionSchema.Attribute;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.PasswordPolicy;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
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
import java.sql.ResultSet;
import java.sql.Statement;
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
 * A tenant's own extension schemas at the gateway (docs/adr/0012), against the real broker and
 * database: discovery shows them to that tenant only, writes are checked against them (and refused
 * for undeclared extensions under strict mode), and filters and sorts on their attributes read the
 * real store. Writes are answered by a stand-in processor.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class CustomSchemasTest {

  @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
  java.net.URL ready;

  static final String HR = "urn:ietf:params:scim:schemas:extension:ContosoHr:2.0:User";
  static final String OTHER = "urn:ietf:params:scim:schemas:extension:Other:2.0:User";
  static final String CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  static final String DECLARING = "hr-" + UUID.randomUUID();
  static final String PLAIN = "plain-" + UUID.randomUUID();
  static final String STRICT = "strict-" + UUID.randomUUID();
  static final String DECLARING_TOKEN = TestTenants.newSecret();
  static final String PLAIN_TOKEN = TestTenants.newSecret();
  static final String STRICT_TOKEN = TestTenants.newSecret();
  static final String REDACTING = "redacting-" + UUID.randomUUID();
  static final String REDACTING_TOKEN = TestTenants.newSecret();
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
      onboard(DECLARING, DECLARING_TOKEN, false, List.of(hr()));
      onboard(PLAIN, PLAIN_TOKEN, false, List.of());
      onboard(STRICT, STRICT_TOKEN, true, List.of(hr()));
      onboard(REDACTING, REDACTING_TOKEN, false, List.of(), List.of("emails", HR));
      onboarded = true;
    }
  }

  static ExtensionSchema hr() {
    return new ExtensionSchema(
        HR,
        ResourceType.User,
        "ContosoHr",
        "Contoso HR",
        List.of(
            new Attribute(
                "employeeCode", "string", false, "HR key", false, false, null, "server", null),
            Attribute.of("clearance", "integer"),
            new Attribute("skills", "string", true, null, null, null, null, null, null),
            Attribute.of("remote", "boolean")));
  }

  static void onboard(String id, String token, boolean strict, List<ExtensionSchema> schemas) {
    onboard(id, token, strict, schemas, List.of());
  }

  static void onboard(
      String id,
      String token,
      boolean strict,
      List<ExtensionSchema> schemas,
      List<String> eventRedactions) {
    TestTenants.publish(
        new TenantSnapshot(
            id,
            1,
            "Tenant " + id,
            null,
            TenantStatus.ACTIVE,
            new RateLimit(1000, 1000),
            null,
            List.of(TestTenants.credential(token, null)),
            Instant.now(),
            PasswordPolicy.IGNORE,
            Instant.now(),
            schemas,
            strict,
            eventRedactions));
    await().atMost(Duration.ofSeconds(10)).until(() -> TestTenants.statusWith(token) == 404);
  }

  @Test
  void discoveryShowsADeclaredSchemaToItsTenantOnly() {
    given()
        .auth()
        .oauth2(DECLARING_TOKEN)
        .get("/scim/v2/Schemas/" + HR)
        .then()
        .statusCode(200)
        .body("id", equalTo(HR))
        .body("attributes[0].name", equalTo("employeeCode"))
        .body("attributes[0].uniqueness", equalTo("server"))
        .body("meta.location", endsWith("/scim/v2/Schemas/" + HR));
    assertThat(
            given()
                .auth()
                .oauth2(DECLARING_TOKEN)
                .get("/scim/v2/Schemas")
                .jsonPath()
                .getList("Resources.id", String.class))
        .contains(HR);
    assertThat(
            given()
                .auth()
                .oauth2(DECLARING_TOKEN)
                .get("/scim/v2/ResourceTypes/User")
                .jsonPath()
                .getList("schemaExtensions.schema", String.class))
        .contains(HR);

    given().auth().oauth2(PLAIN_TOKEN).get("/scim/v2/Schemas/" + HR).then().statusCode(404);
    assertThat(
            given()
                .auth()
                .oauth2(PLAIN_TOKEN)
                .get("/scim/v2/Schemas")
                .jsonPath()
                .getList("Resources.id", String.class))
        .doesNotContain(HR);
    assertThat(
            given()
                .auth()
                .oauth2(PLAIN_TOKEN)
                .get("/scim/v2/ResourceTypes")
                .jsonPath()
                .getList("Resources.schemaExtensions.schema.flatten()", String.class))
        .doesNotContain(HR);
  }

  @Test
  void writesAreCheckedAgainstTheDeclaredTypes() throws Exception {
    post(DECLARING_TOKEN, user("bad-type", HR, "\"clearance\":\"high\""))
        .then()
        .statusCode(400)
        .body("scimType", equalTo("invalidValue"))
        .body("detail", org.hamcrest.Matchers.containsString(HR + ":clearance"));
    post(DECLARING_TOKEN, user("bad-multi", HR, "\"skills\":\"go\""))
        .then()
        .statusCode(400)
        .body("detail", org.hamcrest.Matchers.containsString("skills"));
    patch(DECLARING_TOKEN, HR + ":clearance", "\"x\"").then().statusCode(400);

    // The tenant that declared nothing stores the same value as sent (today's behaviour).
    String plainName = "plain-" + UUID.randomUUID();
    CompletableFuture<ProvisioningCommand> plain =
        answer(r -> new String(r.value()).contains(plainName), 201, true);
    post(PLAIN_TOKEN, user(plainName, HR, "\"clearance\":\"high\"")).then().statusCode(201);
    assertThat(plain.get(10, TimeUnit.SECONDS).payload().at("/" + HR + "/clearance").asText())
        .isEqualTo("high");

    // A valid write goes out with Entra's "True" coerced to a boolean.
    String goodName = "good-" + UUID.randomUUID();
    CompletableFuture<ProvisioningCommand> good =
        answer(r -> new String(r.value()).contains(goodName), 201, true);
    post(
            DECLARING_TOKEN,
            user(goodName, HR, "\"clearance\":3,\"remote\":\"True\",\"skills\":[\"go\"]"))
        .then()
        .statusCode(201);
    var payload = good.get(10, TimeUnit.SECONDS).payload();
    assertThat(payload.at("/" + HR + "/remote").isBoolean()).isTrue();
    assertThat(payload.at("/" + HR + "/clearance").asInt()).isEqualTo(3);
  }

  @Test
  void commandsCarryTheTenantsEventRedactionAndNothingForATenantWithout() throws Exception {
    String quiet = "quiet-" + UUID.randomUUID();
    CompletableFuture<ProvisioningCommand> redacting =
        answer(r -> new String(r.value()).contains(quiet), 201, true);
    post(REDACTING_TOKEN, user(quiet, HR, "\"clearance\":\"high\"")).then().statusCode(201);
    ProvisioningCommand sent = redacting.get(10, TimeUnit.SECONDS);
    assertThat(sent.extensions()).isNotNull();
    assertThat(sent.extensions().eventRedactions()).containsExactly("emails", HR);
    assertThat(sent.extensions().schemas()).isEmpty();
    assertThat(sent.extensions().strict()).isFalse();

    String plainName = "loud-" + UUID.randomUUID();
    CompletableFuture<ProvisioningCommand> plain =
        answer(r -> new String(r.value()).contains(plainName), 201, true);
    post(PLAIN_TOKEN, user(plainName, HR, "\"clearance\":\"high\"")).then().statusCode(201);
    assertThat(plain.get(10, TimeUnit.SECONDS).extensions()).isNull();
  }

  @Test
  void strictModeRefusesUndeclaredExtensions() throws Exception {
    post(STRICT_TOKEN, user("strict-" + UUID.randomUUID(), OTHER, "\"x\":\"1\""))
        .then()
        .statusCode(400)
        .body("detail", org.hamcrest.Matchers.containsString("strict"));
    post(STRICT_TOKEN, user("strict-" + UUID.randomUUID(), HR, "\"shoeSize\":\"44\""))
        .then()
        .statusCode(400)
        .body("detail", org.hamcrest.Matchers.containsString("shoeSize"));
    patch(STRICT_TOKEN, OTHER + ":x", "\"1\"").then().statusCode(400);

    // Not strict: both are stored as sent.
    String name = "lenient-" + UUID.randomUUID();
    CompletableFuture<ProvisioningCommand> lenient =
        answer(r -> new String(r.value()).contains(name), 201, true);
    post(DECLARING_TOKEN, user(name, OTHER, "\"x\":\"1\"")).then().statusCode(201);
    assertThat(lenient.get(10, TimeUnit.SECONDS).payload().at("/" + OTHER + "/x").asText())
        .isEqualTo("1");
  }

  @Test
  void filtersAndSortsOnADeclaredAttributeReadTheStore() throws Exception {
    String code = "E-" + UUID.randomUUID();
    UUID match = UUID.randomUUID();
    insertUser(
        DECLARING,
        match,
        "match-" + code,
        "{\"employeeCode\":\"" + code + "\",\"clearance\":2,\"skills\":[\"Go\",\"SQL\"]}");
    insertUser(
        DECLARING,
        UUID.randomUUID(),
        "other-" + code,
        "{\"employeeCode\":\"x" + code + "\",\"clearance\":10}");
    // The same value under another tenant is never found.
    insertUser(PLAIN, UUID.randomUUID(), "plain-" + code, "{\"employeeCode\":\"" + code + "\"}");

    // Entra's matching-attribute lookup, case-insensitively (the attribute is not caseExact).
    assertThat(
            filter(
                DECLARING_TOKEN,
                HR + ":employeeCode eq \"" + code.toLowerCase(Locale.ROOT) + "\"",
                null))
        .containsExactly(match.toString());
    assertThat(
            filter(
                DECLARING_TOKEN,
                HR + ":skills eq \"sql\" and userName sw \"match-" + code + "\"",
                null))
        .containsExactly(match.toString());
    assertThat(
            filter(DECLARING_TOKEN, HR + ":clearance gt 5 and userName ew \"" + code + "\"", null))
        .hasSize(1)
        .doesNotContain(match.toString());
    assertThat(filter(DECLARING_TOKEN, "userName ew \"" + code + "\"", HR + ":clearance"))
        .hasSize(2)
        .first()
        .isEqualTo(match.toString());

    // A tenant that declared nothing cannot name the attribute: 400 invalidFilter, as today.
    given()
        .auth()
        .oauth2(PLAIN_TOKEN)
        .queryParam("filter", HR + ":employeeCode eq \"" + code + "\"")
        .get("/scim/v2/Users")
        .then()
        .statusCode(400)
        .body("scimType", equalTo("invalidFilter"));
  }

  @Test
  void aValueOfAUniqueAttributeHeldByAnotherUserIs409() throws Exception {
    String code = "U-" + UUID.randomUUID();
    UUID holder = UUID.randomUUID();
    insertUser(DECLARING, holder, "holder-" + code, "{\"employeeCode\":\"" + code + "\"}");

    post(
            DECLARING_TOKEN,
            user(
                "second-" + code, HR, "\"employeeCode\":\"" + code.toLowerCase(Locale.ROOT) + "\""))
        .then()
        .statusCode(409)
        .body("scimType", equalTo("uniqueness"));
    patch(DECLARING_TOKEN, HR + ":employeeCode", "\"" + code + "\"")
        .then()
        .statusCode(409)
        .body("scimType", equalTo("uniqueness"));
    // Replacing the holder itself with its own value is no conflict.
    CompletableFuture<ProvisioningCommand> replaced =
        answer(r -> new String(r.value()).contains("holder-" + code), 200, true);
    given()
        .auth()
        .oauth2(DECLARING_TOKEN)
        .contentType("application/scim+json")
        .body(user("holder-" + code, HR, "\"employeeCode\":\"" + code + "\""))
        .put("/scim/v2/Users/" + holder)
        .then()
        .statusCode(200);
    replaced.get(10, TimeUnit.SECONDS);
    // Another tenant may hold the same value.
    CompletableFuture<ProvisioningCommand> other =
        answer(r -> new String(r.value()).contains("plain2-" + code), 201, true);
    post(PLAIN_TOKEN, user("plain2-" + code, HR, "\"employeeCode\":\"" + code + "\""))
        .then()
        .statusCode(201);
    other.get(10, TimeUnit.SECONDS);
  }

  /**
   * The lookup Entra makes with a custom matching attribute uses the generic index at 100,000 users
   * (processor migration V6): the plan is asserted, never a time.
   */
  @Test
  void theMatchingAttributeLookupUsesTheIndexAt100kUsers() throws Exception {
    String tenant = "bulk-" + UUID.randomUUID();
    try (Connection c = Infrastructure.shared().postgres().connect();
        Statement st = c.createStatement()) {
      st.execute(
          "insert into scim.users (tenant_id, id, user_name, resource, version, created,"
              + " last_modified) select '"
              + tenant
              + "', gen_random_uuid(), 'u' || n || '@contoso.com', jsonb_build_object('schemas',"
              + " jsonb_build_array('"
              + CORE_USER
              + "', '"
              + HR
              + "'), 'userName', 'u' || n || '@contoso.com', 'displayName', 'User ' || n,"
              + " 'emails', jsonb_build_array(jsonb_build_object('value', 'u' || n ||"
              + " '@contoso.com', 'type', 'work', 'primary', true)), '"
              + HR
              + "', jsonb_build_object('employeeCode', 'EMP' || n, 'clearance', n % 5)), 1, now(),"
              + " now() from generate_series(1, 100000) n");
      st.execute("analyze scim.users");
      var condition =
          io.provisioninghub.scim.filter.FilterToSql.translate(
              HR + ":employeeCode eq \"emp77777\"",
              io.provisioninghub.scim.schema.ResourceKind.USER,
              2,
              io.provisioninghub.scim.schema.TenantSchemas.of(List.of(hr()), false));
      StringBuilder plan = new StringBuilder();
      try (PreparedStatement explain =
          c.prepareStatement(
              "explain (analyze, buffers) select id from scim.users where tenant_id = ? and ("
                  + condition.sql().replaceAll("\\$\\d+", "?")
                  + ")")) {
        explain.setString(1, tenant);
        for (int i = 0; i < condition.params().size(); i++) {
          explain.setObject(i + 2, condition.params().get(i));
        }
        try (ResultSet rs = explain.executeQuery()) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
      }
      System.out.println("EXPLAIN ANALYZE at 100,000 users of one tenant:\n" + plan);
      assertThat(plan.toString()).contains("users_resource_lower_idx").contains("rows=1 ");
    }
  }

  private static List<String> filter(String token, String filter, String sortBy) {
    var request = given().auth().oauth2(token).queryParam("filter", filter);
    if (sortBy != null) {
      request = request.queryParam("sortBy", sortBy);
    }
    Response r = request.get("/scim/v2/Users");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    return r.jsonPath().getList("Resources.id", String.class);
  }

  private static String user(String userName, String urn, String fields) {
    return "{\"schemas\":[\""
        + CORE_USER
        + "\",\""
        + urn
        + "\"],\"userName\":\""
        + userName
        + "\",\""
        + urn
        + "\":{"
        + fields
        + "}}";
  }

  private static Response post(String token, String body) {
    return given()
        .auth()
        .oauth2(token)
        .contentType("application/scim+json")
        .body(body)
        .post("/scim/v2/Users");
  }

  private static Response patch(String token, String path, String value) {
    return given()
        .auth()
        .oauth2(token)
        .contentType("application/scim+json")
        .body(
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":"
                + "[{\"op\":\"replace\",\"path\":\""
                + path
                + "\",\"value\":"
                + value
                + "}]}")
        .patch("/scim/v2/Users/" + UUID.randomUUID());
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
            .map(CustomSchemasTest::commandId)
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

  private static void insertUser(String tenant, UUID id, String userName, String hrJson)
      throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement insert =
            c.prepareStatement(
                "insert into scim.users (tenant_id, id, user_name, resource, version, created,"
                    + " last_modified) values (?, ?, ?, ?::jsonb, 1, now(), now())")) {
      insert.setString(1, tenant);
      insert.setObject(2, id);
      insert.setString(3, userName);
      insert.setString(
          4,
          "{\"schemas\":[\""
              + CORE_USER
              + "\",\""
              + HR
              + "\"],\"id\":\""
              + id
              + "\",\"userName\":\""
              + userName
              + "\",\""
              + HR
              + "\":"
              + hrJson
              + "}");
      insert.executeUpdate();
    }
  }

  /** The processor's own migrations, so the gateway reads the table the processor writes. */
  private static void createScimSchema() throws Exception {
    io.provisioninghub.gateway.ScimSchema.ensure();
  }
}
