package io.provisioninghub.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.PasswordPolicy;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.gateway.password.Argon2id;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * SCIM {@code password} on the gateway's write path, against the real broker and database: the
 * command on {@code scim.commands.v1} never carries the plaintext (policy {@code ignore}: only the
 * fact; {@code hash}: an Argon2id hash that verifies), and no write answer returns a password, even
 * if an outcome holds one. The test plays the processor by storing each command's outcome where the
 * gateway looks for it.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class PasswordWritePathTest {

  @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
  java.net.URL ready;

  static final String IGNORE_TOKEN = TestTenants.newSecret();
  static final String HASH_TOKEN = TestTenants.newSecret();
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
  void onboard() throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> RestAssured.get(ready).statusCode() == 200);
    if (!onboarded) {
      tenant("pw-ignore", IGNORE_TOKEN, PasswordPolicy.IGNORE);
      tenant("pw-hash", HASH_TOKEN, PasswordPolicy.HASH);
      onboarded = true;
    }
  }

  @Test
  void ignorePolicyPublishesOnlyTheFactAndAnswersWithoutPassword() throws Exception {
    String plaintext = "Okta-Sent-" + UUID.randomUUID();

    Written created = write(IGNORE_TOKEN, "POST", "/scim/v2/Users", userBody(plaintext), 201);

    assertThat(created.published()).doesNotContain(plaintext).doesNotContain("\"password\"");
    assertThat(created.command().passwordSet()).isTrue();
    assertThat(created.command().passwordHash()).isNull();
    assertThat(created.command().payload().has("password")).isFalse();
    assertThat(created.answer()).doesNotContainIgnoringCase("password").doesNotContain(plaintext);
  }

  @Test
  void hashPolicyPublishesAnArgon2idHashThatVerifies() throws Exception {
    String plaintext = "Okta-Sent-" + UUID.randomUUID();

    Written created = write(HASH_TOKEN, "POST", "/scim/v2/Users", userBody(plaintext), 201);

    assertThat(created.published()).doesNotContain(plaintext);
    assertThat(created.command().passwordSet()).isTrue();
    assertThat(created.command().passwordHash()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(Argon2id.verify(created.command().passwordHash(), plaintext)).isTrue();
    assertThat(created.answer()).doesNotContainIgnoringCase("password");
  }

  @Test
  void putFollowsThePolicy() throws Exception {
    String plaintext = "Put-" + UUID.randomUUID();
    String path = "/scim/v2/Users/" + UUID.randomUUID();

    Written ignored = write(IGNORE_TOKEN, "PUT", path, userBody(plaintext), 200);
    Written hashed = write(HASH_TOKEN, "PUT", path, userBody(plaintext), 200);

    for (Written w : List.of(ignored, hashed)) {
      assertThat(w.published()).doesNotContain(plaintext);
      assertThat(w.command().passwordSet()).isTrue();
      assertThat(w.answer()).doesNotContainIgnoringCase("password");
    }
    assertThat(ignored.command().passwordHash()).isNull();
    assertThat(Argon2id.verify(hashed.command().passwordHash(), plaintext)).isTrue();
  }

  @Test
  void patchReplaceAndAddOfThePasswordFollowThePolicyAndTheRestStillApplies() throws Exception {
    String plaintext = "Patch-" + UUID.randomUUID();
    String path = "/scim/v2/Users/" + UUID.randomUUID();
    String body =
        "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":["
            + "{\"op\":\"Replace\",\"path\":\"password\",\"value\":\"first-"
            + plaintext
            + "\"},"
            + "{\"op\":\"Add\",\"value\":{\"password\":\""
            + plaintext
            + "\",\"title\":\"CTO\"}}]}";

    Written ignored = write(IGNORE_TOKEN, "PATCH", path, body, 200);
    Written hashed = write(HASH_TOKEN, "PATCH", path, body, 200);

    for (Written w : List.of(ignored, hashed)) {
      assertThat(w.published()).doesNotContain(plaintext).doesNotContain("\"password\"");
      assertThat(w.command().passwordSet()).isTrue();
      assertThat(w.command().payload().toString()).contains("\"title\"", "CTO");
      assertThat(w.answer()).doesNotContainIgnoringCase("password");
    }
    assertThat(ignored.command().passwordHash()).isNull();
    assertThat(Argon2id.verify(hashed.command().passwordHash(), plaintext)).isTrue();
  }

  @Test
  void aPasswordThatIsNotAStringIsStill400AndNothingIsPublished() {
    given()
        .auth()
        .oauth2(HASH_TOKEN)
        .contentType("application/scim+json")
        .body(
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":["
                + "{\"op\":\"replace\",\"path\":\"password\",\"value\":{\"x\":1}}]}")
        .patch("/scim/v2/Users/" + UUID.randomUUID())
        .then()
        .statusCode(400);
  }

  /** One write, the command it published and the answer it got. */
  record Written(String published, ProvisioningCommand command, String answer) {}

  private static Written write(String token, String method, String path, String body, int status)
      throws Exception {
    String marker = "pw-" + UUID.randomUUID();
    CompletableFuture<ConsumerRecord<String, byte[]>> published =
        CompletableFuture.supplyAsync(
            () -> {
              ConsumerRecord<String, byte[]> record =
                  commands.awaitOne(
                      r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker),
                      Duration.ofSeconds(20));
              ProvisioningCommand command = ContractJson.command(record.value());
              // A reply that still holds a password, as outcomes stored before this change did.
              ObjectNode resource = ContractJson.mapper().createObjectNode();
              resource.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
              resource.put("id", command.resourceId());
              resource.put("userName", "someone@contoso.com");
              resource.put("password", "stored-before-the-fix");
              reply(
                  record, ProvisioningOutcome.applied(command, status, resource, 1, Instant.now()));
              return record;
            });
    Response response =
        given()
            .auth()
            .oauth2(token)
            .header("client-request-id", marker)
            .contentType("application/scim+json")
            .body(body)
            .request(method, path);
    ConsumerRecord<String, byte[]> record = published.get(30, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(status);
    return new Written(
        new String(record.value(), StandardCharsets.UTF_8),
        ContractJson.command(record.value()),
        response.asString());
  }

  private static String userBody(String password) {
    return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
        + "\"userName\":\"u-"
        + UUID.randomUUID()
        + "@contoso.com\",\"password\":\""
        + password
        + "\",\"active\":true}";
  }

  private static void tenant(String id, String secret, PasswordPolicy policy) {
    TestTenants.publish(
        new TenantSnapshot(
            id,
            1,
            id,
            null,
            TenantStatus.ACTIVE,
            new RateLimit(1000, 1000),
            null,
            List.of(TestTenants.credential(secret, null)),
            Instant.now(),
            policy));
    await().atMost(Duration.ofSeconds(10)).until(() -> TestTenants.statusWith(secret) == 404);
  }

  /** Plays the processor: the outcome goes to the reply partition the command names. */
  private static void reply(ConsumerRecord<String, byte[]> request, ProvisioningOutcome outcome) {
    Properties props = new Properties();
    props.put(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        Infrastructure.shared().kafka().bootstrapServers());
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        "REPLY_CORRELATION_ID", request.headers().lastHeader("REPLY_CORRELATION_ID").value());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.OUTCOMES,
                  java.nio.ByteBuffer.wrap(request.headers().lastHeader("REPLY_PARTITION").value())
                      .getInt(),
                  request.key(),
                  ContractJson.toBytes(outcome),
                  headers))
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
