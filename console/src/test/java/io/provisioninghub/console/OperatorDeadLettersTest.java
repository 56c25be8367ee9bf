package io.provisioninghub.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.DeadLetters;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.Infrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter pages against the real broker: a command set aside on {@code
 * scim.commands.dlq.v1} is listed, shown without its body, re-driven after a confirmation with the
 * operator's name, and then counts as handled.
 */
@QuarkusTest
@QuarkusTestResource(value = OperatorTestResource.class, restrictToAnnotatedClass = true)
class OperatorDeadLettersTest {

  static final String PERSONAL = "ada.lovelace.personal@contoso.test";

  @Test
  void anOperatorRedrivesADeadLetterAfterConfirmingAndItIsHandled() throws Exception {
    String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    ProvisioningCommand command =
        new ProvisioningCommand(
            UUID.randomUUID(),
            tenant,
            ResourceType.User,
            UUID.randomUUID().toString(),
            Operation.CREATE,
            JsonNodeFactory.instance.objectNode().put("userName", PERSONAL),
            Instant.now(),
            null,
            "scim");
    RecordMetadata dead = setAside(command);
    Map<String, String> cookies = OperatorLogin.as("alice@example.test", "provisioning-admin");

    String list = given().cookies(cookies).get("/console/operator/dead-letters").asString();
    String at = "partition=" + dead.partition() + "&amp;offset=" + dead.offset();
    assertThat(list)
        .contains(at)
        .contains(tenant)
        .contains(command.commandId().toString())
        .contains("no handler accepted it");

    Response letter =
        given()
            .cookies(cookies)
            .get(
                "/console/operator/dead-letters/letter?partition="
                    + dead.partition()
                    + "&offset="
                    + dead.offset());
    assertThat(letter.statusCode()).isEqualTo(200);
    assertThat(letter.asString())
        .contains(DeadLetters.REASON)
        .contains(Topics.COMMANDS + "-3@42")
        .contains("not shown: it may hold personal data")
        .doesNotContain(PERSONAL);

    Response confirm =
        given()
            .cookies(cookies)
            .get(
                "/console/operator/dead-letters/redrive?partition="
                    + dead.partition()
                    + "&offset="
                    + dead.offset());
    assertThat(confirm.statusCode()).isEqualTo(200);
    assertThat(confirm.asString()).contains("Yes, re-drive it");
    String token = OperatorPagesTest.csrf(confirm, cookies);

    Response unconfirmed =
        given()
            .cookies(cookies)
            .formParam("partition", dead.partition())
            .formParam("offset", dead.offset())
            .post("/console/operator/dead-letters/redrive");
    assertThat(unconfirmed.statusCode()).as("no CSRF token").isEqualTo(400);

    Response redriven =
        given()
            .redirects()
            .follow(false)
            .cookies(cookies)
            .formParam("csrf-token", token)
            .formParam("partition", dead.partition())
            .formParam("offset", dead.offset())
            .post("/console/operator/dead-letters/redrive");
    assertThat(redriven.statusCode()).as(redriven.asString()).isEqualTo(303);

    ConsumerRecord<byte[], byte[]> back = onCommandsTopic(command.kafkaKey());
    assertThat(header(back, DeadLetters.REDRIVEN_BY))
        .isEqualTo("console:operator:alice@example.test");
    assertThat(ContractJson.command(back.value()).commandId()).isEqualTo(command.commandId());

    String shown = given().cookies(cookies).get(redriven.header("Location")).asString();
    assertThat(shown).contains("Re-driven to").contains("handled (re-driven or dismissed)");
    assertThat(given().cookies(cookies).get("/console/operator/dead-letters").asString())
        .doesNotContain(tenant);
    assertThat(given().cookies(cookies).get("/console/operator/dead-letters?all=true").asString())
        .contains(tenant);
  }

  @Test
  void withoutTheRoleTheDeadLettersAreRefused() {
    Map<String, String> cookies = OperatorLogin.as("mallory", "");
    assertThat(given().cookies(cookies).get("/console/operator/dead-letters").statusCode())
        .isEqualTo(403);
  }

  static RecordMetadata setAside(ProvisioningCommand command) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      RecordHeaders headers = new RecordHeaders();
      headers.add(DeadLetters.REASON, bytes("no handler accepted it"));
      headers.add(DeadLetters.ORIGINAL_TOPIC, bytes(Topics.COMMANDS));
      headers.add(DeadLetters.ORIGINAL_PARTITION, bytes("3"));
      headers.add(DeadLetters.ORIGINAL_OFFSET, bytes("42"));
      return producer
          .send(
              new ProducerRecord<>(
                  Topics.COMMANDS_DLQ,
                  null,
                  bytes(command.kafkaKey()),
                  ContractJson.toBytes(command),
                  headers))
          .get();
    }
  }

  static ConsumerRecord<byte[], byte[]> onCommandsTopic(String key) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    AtomicReference<ConsumerRecord<byte[], byte[]>> found = new AtomicReference<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.COMMANDS).stream()
              .map(i -> new TopicPartition(Topics.COMMANDS, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                  if (key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                    found.set(r);
                  }
                }
                return found.get() != null;
              });
    }
    return found.get();
  }

  static String header(ConsumerRecord<?, ?> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  static String bootstrap() {
    return Infrastructure.shared().kafka().bootstrapServers();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
