package io.provisioninghub.phubctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.DeadLetters;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.KafkaAcls;
import io.provisioninghub.testkit.KafkaBroker;
import io.provisioninghub.testkit.TopicProbe;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
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
    Path config = commandConfig(dir);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] login = {"--command-config", config.toString()};
    int code =
        run(
            out,
            err,
            name -> null,
            login,
            "dead-letters",
            "redrive",
            "--operator",
            "alice",
            "--all");

    assertThat(code).as(err.toString()).isZero();
    awaitOnCommands(command);
    // Marked handled in the group phub-dead-letters, which the operators' principal may commit in.
    out.reset();
    assertThat(run(out, err, name -> null, login, "dead-letters", "list")).isZero();
    assertThat(out.toString()).doesNotContain(command.kafkaKey()).contains("0 unhandled record(s)");
    out.reset();
    assertThat(run(out, err, name -> null, login, "dead-letters", "list", "--all")).isZero();
    assertThat(out.toString()).contains(command.kafkaKey() + " ").contains("(handled)");
  }

  @Test
  void dismissMarksRecordsHandledWithoutRedrivingThem(@TempDir Path dir) throws Exception {
    ProvisioningCommand command = deadLetter();
    Path config = commandConfig(dir);
    String[] login = {"--command-config", config.toString()};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(run(out, err, name -> null, login, "dead-letters", "list")).isZero();
    assertThat(out.toString()).contains(command.kafkaKey());

    assertThat(run(out, err, name -> null, login, "dead-letters", "dismiss", "--all"))
        .as(err.toString())
        .isZero();
    out.reset();
    assertThat(run(out, err, name -> null, login, "dead-letters", "list")).isZero();
    assertThat(out.toString()).doesNotContain(command.kafkaKey());
    // The commit is the broker's: the processor's principal, which may only describe the group,
    // reads it at the topic's end, so the backlog gauge (end minus commit) reads zero.
    assertThat(handledMarksAsTheProcessorReadsThem()).isEqualTo(endOffsets());
  }

  private static Map<TopicPartition, Long> handledMarksAsTheProcessorReadsThem() {
    return HandledMarks.read(settings(KafkaAcls.PROCESSOR), Topics.COMMANDS_DLQ);
  }

  private static Map<TopicPartition, Long> endOffsets() throws Exception {
    Map<String, Object> config = new HashMap<>(broker.adminConfig());
    try (Admin admin = Admin.create(config)) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin
          .describeTopics(java.util.List.of(Topics.COMMANDS_DLQ))
          .allTopicNames()
          .get(30, TimeUnit.SECONDS)
          .get(Topics.COMMANDS_DLQ)
          .partitions()
          .forEach(
              p ->
                  latest.put(
                      new TopicPartition(Topics.COMMANDS_DLQ, p.partition()), OffsetSpec.latest()));
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((tp, info) -> ends.put(tp, info.offset()));
      return ends;
    }
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

    int list = run(out, err, env::get, new String[0], "dead-letters", "list");
    assertThat(list).as(err.toString()).isZero();
    assertThat(out.toString()).contains(command.kafkaKey());

    int redrive = run(out, err, env::get, new String[0], "dead-letters", "redrive", "--all");
    assertThat(redrive).as(err.toString()).isZero();
    awaitOnCommands(command);
  }

  private static int run(
      ByteArrayOutputStream out,
      ByteArrayOutputStream err,
      UnaryOperator<String> env,
      String[] login,
      String... args) {
    String[] all = java.util.Arrays.copyOf(login, login.length + args.length);
    System.arraycopy(args, 0, all, login.length, args.length);
    return Phubctl.run(
        all,
        env,
        new java.io.PrintWriter(out, true, StandardCharsets.UTF_8),
        new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
  }

  /** The operators' login as a Kafka client properties file, as Kafka's own tools take it. */
  private static Path commandConfig(Path dir) throws java.io.IOException {
    Path config = dir.resolve("client.properties");
    StringBuilder file = new StringBuilder();
    settings(KafkaAcls.DEAD_LETTERS)
        .forEach((k, v) -> file.append(k).append('=').append(v).append('\n'));
    Files.writeString(config, file);
    return config;
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
    headers.add(DeadLetters.REASON, "connection refused".getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetters.ORIGINAL_TOPIC, Topics.COMMANDS.getBytes(StandardCharsets.UTF_8));
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
          r -> command.kafkaKey().equals(r.key()) && header(r, DeadLetters.REDRIVEN_BY) != null,
          Duration.ofSeconds(20));
    }
  }

  private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<?, ?> r, String n) {
    var h = r.headers().lastHeader(n);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
