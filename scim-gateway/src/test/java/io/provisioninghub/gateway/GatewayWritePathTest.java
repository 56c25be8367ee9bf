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
import java.time.Duration;
import java.time.Instant;
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
   * The regression test of the reply race: a reply that arrives the moment the command is on the
   * broker (before the producer may even have seen the acknowledgement) still answers its write.
   * The gateway used to register interest in a reply only after the acknowledgement, so such a
   * reply was ignored and the write waited for its timeout; now the wait is registered before the
   * send. A play processor replies to each command as soon as it can read it, and every write is
   * answered with its reply, none by the timeout.
   */
  @Test
  void aReplyFasterThanTheBrokersAcknowledgementStillAnswersItsWrite() throws Exception {
    String prefix = "instant-reply-" + UUID.randomUUID();
    int writes = 20;
    CompletableFuture<Integer> replier =
        CompletableFuture.supplyAsync(
            () -> {
              try (KafkaProducer<String, byte[]> producer = replyProducer()) {
                for (int i = 0; i < writes; i++) {
                  String userName = prefix + "-" + i + "@contoso.com";
                  ConsumerRecord<String, byte[]> request =
                      commands.awaitOne(
                          r -> new String(r.value()).contains(userName), Duration.ofSeconds(10));
                  ProvisioningCommand command = ContractJson.command(request.value());
                  ObjectNode resource = ContractJson.mapper().createObjectNode();
                  resource.put("id", command.resourceId());
                  resource.put("userName", userName);
                  RecordHeaders reply = new RecordHeaders();
                  reply.add(
                      "REPLY_CORRELATION_ID",
                      request.headers().lastHeader("REPLY_CORRELATION_ID").value());
                  producer.send(
                      new ProducerRecord<>(
                          Topics.OUTCOMES,
                          io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply
                              .replyPartitionFromBytes(
                                  request.headers().lastHeader("REPLY_PARTITION").value()),
                          "demo",
                          ContractJson.toBytes(
                              ProvisioningOutcome.applied(
                                  command, 201, resource, 1, Instant.now())),
                          reply));
                  producer.flush();
                }
              }
              return writes;
            });
    double timeoutsBefore = replyWaits("timeout");
    for (int i = 0; i < writes; i++) {
      String userName = prefix + "-" + i + "@contoso.com";
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
          .body("userName", equalTo(userName));
    }
    assertThat(replier.get(10, TimeUnit.SECONDS)).isEqualTo(writes);
    assertThat(replyWaits("timeout")).isEqualTo(timeoutsBefore);
  }

  private double replyWaits(String outcome) {
    var timer = registry.find("phub.gateway.reply.wait").tag("outcome", outcome).timer();
    return timer == null ? 0 : timer.count();
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
    assertThat(setAside("unreadable")).isEqualTo(unreadableBefore + 2);
  }

  /** A reply to a waiting write that is not an outcome: counted, and the write is not lost. */
  @Test
  void anUnreadableReplyIsSetAsideAndTheWriteAnsweredRetryable() throws Exception {
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

  private static KafkaProducer<String, byte[]> replyProducer() {
    Properties props = new Properties();
    props.put(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        Infrastructure.shared().kafka().bootstrapServers());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  private static void sendReply(int partition, byte[] value, RecordHeaders headers) {
    try (KafkaProducer<String, byte[]> producer = replyProducer()) {
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
