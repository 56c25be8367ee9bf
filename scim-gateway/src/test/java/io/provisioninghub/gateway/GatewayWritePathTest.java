package io.provisioninghub.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.OutcomeStatus;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * The gateway alone against the real broker and database: authentication, validation before
 * publishing, the published command, and the bounded wait when no processor answers.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class GatewayWritePathTest {

  // Health is served on the management port, not on the SCIM port.
  @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
  java.net.URL ready;

  @jakarta.inject.Inject io.micrometer.core.instrument.MeterRegistry registry;

  static final String TOKEN = TestTenants.newSecret();
  static TopicProbe commands;
  static boolean onboarded;

  @BeforeAll
  static void probe() {
    commands = TopicProbe.open(Infrastructure.shared().kafka().bootstrapServers(), Topics.COMMANDS);
  }

  @AfterAll
  static void close() {
    commands.close();
  }

  @BeforeEach
  void awaitReady() {
    await().atMost(Duration.ofSeconds(60)).until(() -> RestAssured.get(ready).statusCode() == 200);
    if (!onboarded) {
      TestTenants.onboard("demo", TOKEN, new TenantSnapshot.RateLimit(1000, 1000));
      onboarded = true;
    }
  }

  @Test
  void missingTokenIs401WithScimError() {
    given()
        .get("/scim/v2/Users/" + UUID.randomUUID())
        .then()
        .statusCode(401)
        .contentType(startsWith("application/scim+json"))
        .header("WWW-Authenticate", startsWith("Bearer"))
        .body("schemas[0]", equalTo("urn:ietf:params:scim:api:messages:2.0:Error"))
        .body("status", equalTo("401"));
  }

  @Test
  void wrongTokenIs401() {
    given()
        .auth()
        .oauth2("not-a-token")
        .get("/scim/v2/Users/" + UUID.randomUUID())
        .then()
        .statusCode(401)
        .body("status", equalTo("401"));
    given()
        .header("Authorization", "Basic " + TOKEN)
        .get("/scim/v2/Users/" + UUID.randomUUID())
        .then()
        .statusCode(401);
  }

  @Test
  void malformedJsonIs400InvalidSyntaxAndPublishesNothing() {
    String marker = "marker-" + UUID.randomUUID();
    given()
        .auth()
        .oauth2(TOKEN)
        .contentType("application/scim+json")
        .body("{\"userName\": \"" + marker + "\",")
        .post("/scim/v2/Users")
        .then()
        .statusCode(400)
        .contentType(startsWith("application/scim+json"))
        .body("scimType", equalTo("invalidSyntax"))
        .body("status", equalTo("400"));
    assertNothingPublishedWith(marker);
  }

  @Test
  void missingUserNameIs400InvalidValue() {
    given()
        .auth()
        .oauth2(TOKEN)
        .contentType("application/json")
        .body("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"active\":true}")
        .post("/scim/v2/Users")
        .then()
        .statusCode(400)
        .body("scimType", equalTo("invalidValue"));
  }

  @Test
  void unknownNonUuidIdIs404() {
    given()
        .auth()
        .oauth2(TOKEN)
        .get("/scim/v2/Users/not-a-uuid")
        .then()
        .statusCode(404)
        .contentType(startsWith("application/scim+json"))
        .body("status", equalTo("404"));
  }

  /**
   * The processor applied the command and stored its outcome, but the reply never reached this
   * gateway (the request-reply channel ignores a reply that beats the broker's acknowledgement of
   * the request): the client still gets the stored outcome, not a 503.
   */
  @Test
  void aWriteWhoseReplyIsLostIsAnsweredWithItsStoredOutcome() throws Exception {
    createScimSchema();
    String userName = "reply-lost-" + UUID.randomUUID() + "@contoso.com";
    // Play a processor that applies the command and stores its outcome, but never replies.
    CompletableFuture<ProvisioningCommand> applied =
        CompletableFuture.supplyAsync(
            () -> {
              ProvisioningCommand command =
                  ContractJson.command(
                      commands
                          .awaitOne(
                              r -> new String(r.value()).contains(userName), Duration.ofSeconds(10))
                          .value());
              ObjectNode resource = ContractJson.mapper().createObjectNode();
              resource.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
              resource.put("id", command.resourceId());
              resource.put("userName", userName);
              // The dedupe row keeps no body: the gateway reads it from scim.users.
              storeUser(command, resource);
              store(ProvisioningOutcome.applied(command, 201, resource, 1, Instant.now()));
              return command;
            });

    given()
        .auth()
        .oauth2(TOKEN)
        .contentType("application/scim+json")
        .body(
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                + "\"userName\":\""
                + userName
                + "\"}")
        .post("/scim/v2/Users")
        .then()
        .statusCode(201)
        .body("userName", equalTo(userName))
        .body("id", equalTo(applied.get(10, TimeUnit.SECONDS).resourceId()));
  }

  /**
   * Poison on this instance's reply partition (a correlation header without a value, which the
   * connector's own handler cannot read, and a record that is not an outcome) is set aside; the
   * reply consumer goes on and the next reply answers its waiting write.
   */
  @Test
  void poisonOnTheReplyPartitionIsSetAsideAndTheNextReplyAnswers() throws Exception {
    String userName = "after-reply-poison-" + UUID.randomUUID() + "@contoso.com";
    double unreadableBefore = setAside("unreadable");
    // Play a processor that first sends poison to the reply partition, then the real reply.
    CompletableFuture<ProvisioningCommand> replied =
        CompletableFuture.supplyAsync(
            () -> {
              ConsumerRecord<String, byte[]> request =
                  commands.awaitOne(
                      r -> new String(r.value()).contains(userName), Duration.ofSeconds(10));
              ProvisioningCommand command = ContractJson.command(request.value());
              int partition =
                  io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply
                      .replyPartitionFromBytes(
                          request.headers().lastHeader("REPLY_PARTITION").value());
              byte[] correlation = request.headers().lastHeader("REPLY_CORRELATION_ID").value();
              RecordHeaders empty = new RecordHeaders();
              empty.add("REPLY_CORRELATION_ID", null);
              sendReply(partition, "{not an outcome".getBytes(), empty);
              RecordHeaders unknown = new RecordHeaders();
              unknown.add("REPLY_CORRELATION_ID", UUID.randomUUID().toString().getBytes());
              sendReply(partition, "{not an outcome".getBytes(), unknown);
              ObjectNode resource = ContractJson.mapper().createObjectNode();
              resource.put("id", command.resourceId());
              resource.put("userName", userName);
              RecordHeaders reply = new RecordHeaders();
              reply.add("REPLY_CORRELATION_ID", correlation);
              sendReply(
                  partition,
                  ContractJson.toBytes(
                      ProvisioningOutcome.applied(command, 201, resource, 1, Instant.now())),
                  reply);
              return command;
            });

    given()
        .auth()
        .oauth2(TOKEN)
        .contentType("application/scim+json")
        .body(
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                + "\"userName\":\""
                + userName
                + "\"}")
        .post("/scim/v2/Users")
        .then()
        .statusCode(201)
        .body("id", equalTo(replied.get(10, TimeUnit.SECONDS).resourceId()));
    assertThat(setAside("unreadable")).isEqualTo(unreadableBefore + 1);
  }

  /** A reply to a waiting write that is not an outcome: counted, and the write is not lost. */
  @Test
  void anUnreadableReplyIsSetAsideAndTheWriteAnsweredRetryable() throws Exception {
    createScimSchema();
    String userName = "unreadable-reply-" + UUID.randomUUID() + "@contoso.com";
    double unreadableBefore = setAside("unreadable");
    CompletableFuture.runAsync(
        () -> {
          ConsumerRecord<String, byte[]> request =
              commands.awaitOne(
                  r -> new String(r.value()).contains(userName), Duration.ofSeconds(10));
          RecordHeaders reply = new RecordHeaders();
          reply.add(
              "REPLY_CORRELATION_ID", request.headers().lastHeader("REPLY_CORRELATION_ID").value());
          sendReply(
              io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply.replyPartitionFromBytes(
                  request.headers().lastHeader("REPLY_PARTITION").value()),
              "{not an outcome".getBytes(),
              reply);
        });

    given()
        .auth()
        .oauth2(TOKEN)
        .contentType("application/scim+json")
        .body(
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                + "\"userName\":\""
                + userName
                + "\"}")
        .post("/scim/v2/Users")
        .then()
        .statusCode(503)
        // answered when the bad reply came ("not confirmed"), not at the timeout ("in time")
        .body("detail", equalTo(UNREADABLE_REPLY_DETAIL));
    assertThat(setAside("unreadable")).isEqualTo(unreadableBefore + 1);
  }

  static final String UNREADABLE_REPLY_DETAIL =
      "the change was accepted but not confirmed; it may still be applied, and retrying the"
          + " request is safe";

  private static void sendReply(int partition, byte[] value, RecordHeaders headers) {
    Properties props = new Properties();
    props.put(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        Infrastructure.shared().kafka().bootstrapServers());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(Topics.OUTCOMES, partition, "demo", value, headers))
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Zero until the consumer's meters exist (its bean is created on first use). */
  private double setAside(String reason) {
    var counter =
        registry
            .find(SetAsideRecords.NAME)
            .tag("consumer", "replies")
            .tag("reason", reason)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  /** The processor's own migrations, so the gateway reads the table the processor writes. */
  private static synchronized void createScimSchema() throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        Statement st = c.createStatement()) {
      st.execute("create schema if not exists scim");
      st.execute("set search_path to scim");
      try (ResultSet exists = st.executeQuery("select to_regclass('scim.processed_commands')")) {
        exists.next();
        if (exists.getString(1) != null) {
          return;
        }
      }
      Path migrations = Path.of("..", "provisioning-processor", "src", "main", "resources", "db");
      try (Stream<Path> files = Files.list(migrations.resolve("migration"))) {
        for (Path file : files.sorted().toList()) {
          st.execute(Files.readString(file));
        }
      }
    }
  }

  /** The dedupe row as the processor writes it: status, type, id and version, no body. */
  private static void store(ProvisioningOutcome outcome) {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement insert =
            c.prepareStatement(
                "insert into scim.processed_commands (command_id, tenant_id, status, http_status,"
                    + " scim_type, resource_type, resource_id, version, processed_at)"
                    + " values (?, ?, ?, ?, ?, 'User', ?, ?, now())")) {
      insert.setObject(1, outcome.commandId());
      insert.setString(2, outcome.tenantId());
      insert.setString(3, outcome.status().name());
      insert.setInt(4, outcome.httpStatus());
      insert.setString(5, outcome.scimType());
      insert.setString(
          6, outcome.resource() == null ? null : outcome.resource().get("id").asText());
      insert.setLong(7, outcome.version());
      insert.executeUpdate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void storeUser(ProvisioningCommand command, ObjectNode resource) {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement insert =
            c.prepareStatement(
                "insert into scim.users (tenant_id, id, user_name, resource, version, created,"
                    + " last_modified) values (?, ?, ?, ?::jsonb, 1, now(), now())")) {
      insert.setString(1, command.tenantId());
      insert.setObject(2, UUID.fromString(command.resourceId()));
      insert.setString(3, resource.get("userName").asText());
      insert.setString(4, resource.toString());
      insert.executeUpdate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void validCreateIsPublishedKeyedByResourceAndTimesOutWith503WhenNobodyAnswers() {
    String userName = "nobody-answers-" + UUID.randomUUID() + "@contoso.com";
    given()
        .auth()
        .oauth2(TOKEN)
        .header("client-request-id", "req-42")
        .contentType("application/scim+json")
        .body(
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                + "\"userName\":\""
                + userName
                + "\",\"id\":\"client-chosen\",\"nickName\":null,\"active\":true}")
        .post("/scim/v2/Users")
        .then()
        .statusCode(503)
        .header("Retry-After", equalTo("5"))
        .contentType(startsWith("application/scim+json"))
        .body("status", equalTo("503"));

    ConsumerRecord<String, byte[]> record =
        commands.awaitOne(r -> new String(r.value()).contains(userName), Duration.ofSeconds(10));
    ProvisioningCommand command = ContractJson.command(record.value());
    assertThat(command.tenantId()).isEqualTo("demo");
    assertThat(command.operation()).isEqualTo(Operation.CREATE);
    assertThat(record.key()).isEqualTo("demo/User/" + command.resourceId());
    assertThat(UUID.fromString(command.resourceId())).isNotNull();
    assertThat(command.clientRequestId()).isEqualTo("req-42");
    assertThat(command.payload().has("id")).as("client id dropped").isFalse();
    assertThat(command.payload().has("nickName")).as("null attribute dropped").isFalse();
    assertThat(record.headers().lastHeader("REPLY_CORRELATION_ID")).isNotNull();
    assertThat(record.headers().lastHeader("REPLY_PARTITION")).isNotNull();
  }

  @Test
  void refusedRequestsOfAKnownTenantArePublishedForTheAuditLog() {
    String marker = "rejected-" + UUID.randomUUID();
    try (TopicProbe outcomes =
        TopicProbe.open(Infrastructure.shared().kafka().bootstrapServers(), Topics.OUTCOMES)) {
      given()
          .auth()
          .oauth2(TOKEN)
          .header("client-request-id", marker)
          .queryParam("filter", "userName eq")
          .get("/scim/v2/Users")
          .then()
          .statusCode(400)
          .body("scimType", equalTo("invalidFilter"));
      given()
          .header("client-request-id", marker + "-anonymous")
          .get("/scim/v2/Users")
          .then()
          .statusCode(401);

      ConsumerRecord<String, byte[]> record =
          outcomes.awaitOne(r -> new String(r.value()).contains(marker), Duration.ofSeconds(10));
      ProvisioningOutcome outcome = ContractJson.outcome(record.value());
      assertThat(outcome.status()).isEqualTo(OutcomeStatus.REJECTED);
      assertThat(outcome.tenantId()).isEqualTo("demo");
      assertThat(outcome.httpStatus()).isEqualTo(400);
      assertThat(outcome.scimType()).isEqualTo("invalidFilter");
      assertThat(outcome.rejectedRequest().method()).isEqualTo("GET");
      assertThat(outcome.rejectedRequest().path()).isEqualTo("/scim/v2/Users");
      assertThat(outcome.rejectedRequest().resourceType()).isEqualTo(ResourceType.User);
      assertThat(outcome.rejectedRequest().clientRequestId()).isEqualTo(marker);
      assertThat(outcome.rejectedRequest().operation()).isNull();
      // An unauthenticated request has no tenant to file it under: nothing is published for it.
      assertThat(outcomes.records(r -> new String(r.value()).contains(marker + "-anonymous")))
          .isEmpty();
    }
  }

  private static void assertNothingPublishedWith(String marker) {
    // The response came after any publish would have been handed to the producer; give the
    // broker a bounded moment by waiting for a later record we do publish ourselves.
    String fence = "fence-" + UUID.randomUUID();
    TopicProbe.send(
        Infrastructure.shared().kafka().bootstrapServers(),
        Topics.COMMANDS,
        "fence",
        fence.getBytes(),
        null);
    commands.awaitOne(r -> new String(r.value()).equals(fence), Duration.ofSeconds(10));
    assertThat(commands.records(r -> new String(r.value()).contains(marker))).isEmpty();
  }
}
