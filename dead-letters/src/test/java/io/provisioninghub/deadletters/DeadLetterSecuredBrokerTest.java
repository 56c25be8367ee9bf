package io.provisioninghub.deadletters;

import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.KafkaAcls;
import io.provisioninghub.testkit.KafkaBroker;
import io.provisioninghub.testkit.TopicProbe;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool against a broker with SCRAM-SHA-512 and ACLs, as the operators' principal {@code
 * dead-letters}: its connection comes from a client properties file ({@code --command-config}) or
 * from the same {@code KAFKA_*} variables the services read.
 */
class DeadLetterSecuredBrokerTest {

  private static KafkaBroker broker;
  private static final Map<String, String> PASSWORDS = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    Path work = Files.createTempDirectory("phub-dead-letters-secured-");
    broker = KafkaBroker.startSecured(work.resolve("kafka"), work.resolve("kafka.log"));
    for (String principal : new String[] {KafkaAcls.DEAD_LETTERS, KafkaAcls.PROCESSOR}) {
      String password = UUID.randomUUID().toString();
      broker.createUser(principal, password);
      PASSWORDS.put(principal, password);
    }
    broker.grant(KafkaAcls.matrix());
    broker.ensureTopics(Infrastructure.TOPICS, Infrastructure.COMPACTED_TOPICS);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void listsAndRedrivesWithACommandConfigFile(@TempDir Path dir) throws Exception {
    ProvisioningCommand command = deadLetter();
    Path config = dir.resolve("client.properties");
    StringBuilder file = new StringBuilder();
    settings(KafkaAcls.DEAD_LETTERS)
        .forEach((k, v) -> file.append(k).append('=').append(v).append('\n'));
    Files.writeString(config, file);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        DeadLetterTool.run(
            new String[] {
              "--command-config", config.toString(), "redrive", "--operator", "alice", "--all"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            name -> null);

    assertThat(code).as(err.toString()).isZero();
    awaitOnCommands(command);
  }

  @Test
  void takesTheSameKafkaVariablesAsTheServices() {
    ProvisioningCommand command = deadLetter();
    Map<String, String> env = new HashMap<>();
    settings(KafkaAcls.DEAD_LETTERS)
        .forEach((k, v) -> env.put("KAFKA_" + k.toUpperCase().replace('.', '_'), v));
    env.put("USER", "bob");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int list =
        DeadLetterTool.run(
            new String[] {"list"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            (UnaryOperator<String>) env::get);
    assertThat(list).as(err.toString()).isZero();
    assertThat(out.toString()).contains(command.kafkaKey());

    int redrive =
        DeadLetterTool.run(
            new String[] {"redrive", "--all"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            (UnaryOperator<String>) env::get);
    assertThat(redrive).as(err.toString()).isZero();
    awaitOnCommands(command);
  }

  private static Map<String, String> settings(String principal) {
    return broker.clientConfig(principal, PASSWORDS.get(principal));
  }

  /** A dead letter, written as the processor's principal writes it. */
  private static ProvisioningCommand deadLetter() {
    ProvisioningCommand command =
        new ProvisioningCommand(
            UUID.randomUUID(),
            "t-" + UUID.randomUUID(),
            ResourceType.User,
            UUID.randomUUID().toString(),
            Operation.DELETE,
            null,
            Instant.now(),
            null,
            "scim");
    RecordHeaders headers = new RecordHeaders();
    headers.add(DeadLetterTool.REASON, "connection refused".getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetterTool.ORIGINAL_TOPIC, Topics.COMMANDS.getBytes(StandardCharsets.UTF_8));
    TopicProbe.send(
        settings(KafkaAcls.PROCESSOR),
        Topics.COMMANDS_DLQ,
        command.kafkaKey(),
        ContractJson.toBytes(command),
        headers);
    return command;
  }

  private static void awaitOnCommands(ProvisioningCommand command) {
    try (TopicProbe commands = TopicProbe.open(broker.adminConfig(), Topics.COMMANDS)) {
      commands.awaitOne(
          r -> command.kafkaKey().equals(r.key()) && header(r, DeadLetterTool.REDRIVEN_BY) != null,
          Duration.ofSeconds(20));
    }
  }

  private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<?, ?> r, String n) {
    var h = r.headers().lastHeader(n);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
