package io.provisioninghub.phubctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.DeadLetters;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.support.deadletters.DeadLetterQueue;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code phubctl dead-letters redrive} against a real broker: where records go, who re-drove them,
 * and which ones are refused. Each test writes to a dead-letter topic of its own, so {@code --all}
 * sees only that test's records even on a shared broker.
 */
class DeadLetterRedriveTest {

  private static final UnaryOperator<String> NO_ENV = name -> null;

  private static KafkaBroker broker;
  private static String bootstrap;

  private String dlq;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void startBroker() throws Exception {
    String external = System.getenv("PHUB_KAFKA_BOOTSTRAP");
    if (external == null || external.isBlank()) {
      external = System.getProperty("phub.kafka.bootstrap");
    }
    if (external != null && !external.isBlank()) {
      broker = KafkaBroker.external(external.trim());
    } else {
      Path work = Files.createTempDirectory("phub-dead-letters-");
      broker = KafkaBroker.start(work.resolve("kafka"), work.resolve("kafka.log"));
    }
    bootstrap = broker.bootstrapServers();
    broker.ensureTopics(Infrastructure.TOPICS, Infrastructure.COMPACTED_TOPICS);
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @BeforeEach
  void ownDeadLetterTopic() {
    dlq = "scim.commands.dlq.test-" + UUID.randomUUID();
    broker.ensureTopics(Map.of(dlq, 1));
  }

  @Test
  void redriveGoesToTheCommandsTopicWithTheOperatorRecorded() {
    ProvisioningCommand command = command(Instant.now());
    RecordMetadata dead =
        setAside(command.kafkaKey(), ContractJson.toBytes(command), Topics.COMMANDS);

    int code = tool(NO_ENV, "redrive", "--operator", "alice", "--all");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("re-drove " + dlq + "-0@" + dead.offset());
    ConsumerRecord<byte[], byte[]> redriven = onCommandsTopic(command.kafkaKey());
    assertThat(redriven).as("re-driven to " + Topics.COMMANDS).isNotNull();
    assertThat(header(redriven, DeadLetters.REDRIVEN_BY)).isEqualTo("alice");
    assertThat(header(redriven, DeadLetters.REDRIVEN_FROM)).isEqualTo(dlq + "-0@" + dead.offset());
    assertThat(redriven.headers().lastHeader(DeadLetters.REASON)).isNull();
    assertThat(ContractJson.command(redriven.value()).commandId()).isEqualTo(command.commandId());
  }

  @Test
  void theOperatorDefaultsToUser() {
    ProvisioningCommand command = command(Instant.now());
    setAside(command.kafkaKey(), ContractJson.toBytes(command), Topics.COMMANDS);

    int code = tool(name -> name.equals("USER") ? "bob" : null, "redrive", "--all");

    assertThat(code).as(err.toString()).isZero();
    assertThat(header(onCommandsTopic(command.kafkaKey()), DeadLetters.REDRIVEN_BY))
        .isEqualTo("bob");
  }

  @Test
  void withoutAnOperatorNothingIsRedriven() {
    ProvisioningCommand command = command(Instant.now());
    setAside(command.kafkaKey(), ContractJson.toBytes(command), Topics.COMMANDS);

    int code = tool(NO_ENV, "redrive", "--all");

    assertThat(code).isEqualTo(Phubctl.USAGE);
    assertThat(err.toString()).contains("--operator");
    assertThat(onCommandsTopic(command.kafkaKey())).as("nothing re-driven").isNull();
  }

  @Test
  void aRecordNamingAnotherTopicIsRefusedEvenWithForce() {
    ProvisioningCommand command = command(Instant.now());
    setAside(command.kafkaKey(), ContractJson.toBytes(command), Topics.TENANTS);

    int code = tool(NO_ENV, "redrive", "--operator", "alice", "--all", "--force");

    assertThat(code).isEqualTo(Phubctl.REFUSED);
    assertThat(err.toString()).contains("came from " + Topics.TENANTS);
    assertThat(onTopic(Topics.TENANTS, command.kafkaKey())).as("not written to tenants").isNull();
    assertThat(onCommandsTopic(command.kafkaKey())).as("not written to commands").isNull();
  }

  @Test
  void anOldCommandIsRefusedWithoutForce() {
    ProvisioningCommand old = command(Instant.now().minus(Duration.ofDays(3)));
    RecordMetadata dead = setAside(old.kafkaKey(), ContractJson.toBytes(old), Topics.COMMANDS);
    String[] redrive = {
      "redrive", "--operator", "alice", "--partition", "0", "--offset", Long.toString(dead.offset())
    };

    assertThat(tool(NO_ENV, redrive)).isEqualTo(Phubctl.REFUSED);
    assertThat(err.toString()).contains("older than --max-age PT24H").contains("--force");
    assertThat(onCommandsTopic(old.kafkaKey())).as("not re-driven").isNull();

    String[] forced = append(redrive, "--force");
    assertThat(tool(NO_ENV, forced)).as(err.toString()).isZero();
    assertThat(onCommandsTopic(old.kafkaKey())).as("re-driven with --force").isNotNull();
  }

  @Test
  void theMaximumAgeIsConfigurable() {
    ProvisioningCommand twoHoursOld = command(Instant.now().minus(Duration.ofHours(2)));
    setAside(twoHoursOld.kafkaKey(), ContractJson.toBytes(twoHoursOld), Topics.COMMANDS);

    assertThat(tool(NO_ENV, "redrive", "--operator", "alice", "--all", "--max-age", "1h"))
        .isEqualTo(Phubctl.REFUSED);
    assertThat(onCommandsTopic(twoHoursOld.kafkaKey())).isNull();

    assertThat(tool(NO_ENV, "redrive", "--operator", "alice", "--all", "--max-age", "PT3H"))
        .as(err.toString())
        .isZero();
    assertThat(onCommandsTopic(twoHoursOld.kafkaKey())).isNotNull();
  }

  @Test
  void allRedrivesTheFreshRecordsAndRefusesTheOldOnes() {
    ProvisioningCommand fresh = command(Instant.now());
    ProvisioningCommand old = command(Instant.now().minus(Duration.ofDays(2)));
    setAside(fresh.kafkaKey(), ContractJson.toBytes(fresh), Topics.COMMANDS);
    setAside(old.kafkaKey(), ContractJson.toBytes(old), Topics.COMMANDS);
    // An unreadable body has no receivedAt: its age is when it was set aside.
    String garbageKey = "t-" + UUID.randomUUID() + "/User/" + UUID.randomUUID();
    setAside(
        garbageKey,
        "not a command".getBytes(StandardCharsets.UTF_8),
        Topics.COMMANDS,
        Instant.now().minus(Duration.ofDays(5)));

    int code = tool(NO_ENV, "redrive", "--operator", "alice", "--all");

    assertThat(code).isEqualTo(Phubctl.REFUSED);
    assertThat(onCommandsTopic(fresh.kafkaKey())).as("fresh one re-driven").isNotNull();
    assertThat(onCommandsTopic(old.kafkaKey())).as("old one refused").isNull();
    assertThat(onCommandsTopic(garbageKey)).as("old unreadable one refused").isNull();
  }

  @Test
  void aRefusedRecordStaysUnhandledUntilItIsDismissed() {
    ProvisioningCommand fresh = command(Instant.now());
    ProvisioningCommand old = command(Instant.now().minus(Duration.ofDays(2)));
    setAside(fresh.kafkaKey(), ContractJson.toBytes(fresh), Topics.COMMANDS);
    RecordMetadata refused = setAside(old.kafkaKey(), ContractJson.toBytes(old), Topics.COMMANDS);

    assertThat(tool(NO_ENV, "redrive", "--operator", "alice", "--all")).isEqualTo(Phubctl.REFUSED);

    // The re-driven one is handled; the refused one is still waiting for a decision.
    assertThat(tool(NO_ENV, "list")).isZero();
    assertThat(out.toString())
        .doesNotContain(fresh.kafkaKey())
        .contains(old.kafkaKey())
        .contains("1 unhandled record(s)");
    assertThat(
            tool(
                NO_ENV,
                "dismiss",
                "--partition",
                "0",
                "--through",
                Long.toString(refused.offset())))
        .as(err.toString())
        .isZero();
    assertThat(tool(NO_ENV, "list")).isZero();
    assertThat(out.toString()).contains("0 unhandled record(s)");
    assertThat(tool(NO_ENV, "list", "--all")).isZero();
    assertThat(out.toString()).contains(old.kafkaKey() + " ").contains("(handled)");
    assertThat(onCommandsTopic(old.kafkaKey())).as("dismissed, not re-driven").isNull();
  }

  @Test
  void aRecordRedrivenOutOfOrderStaysInTheBacklogUntilDismissed() {
    ProvisioningCommand first = command(Instant.now());
    ProvisioningCommand second = command(Instant.now());
    RecordMetadata atFirst =
        setAside(first.kafkaKey(), ContractJson.toBytes(first), Topics.COMMANDS);
    RecordMetadata atSecond =
        setAside(second.kafkaKey(), ContractJson.toBytes(second), Topics.COMMANDS);

    assertThat(redriveOne(atSecond)).as(err.toString()).isZero();
    assertThat(onCommandsTopic(second.kafkaKey())).as("re-driven").isNotNull();
    // The commit cannot pass the first record, which nobody handled: both stay in the backlog.
    assertThat(committed()).isNull();
    assertThat(tool(NO_ENV, "list")).isZero();
    assertThat(out.toString()).contains(first.kafkaKey(), second.kafkaKey());

    // Re-driving the first moves the commit just past it: the mark keeps no memory of the second
    // one, which waits for the operator's decision (dismiss it, or re-drive it again: harmless).
    assertThat(redriveOne(atFirst)).as(err.toString()).isZero();
    assertThat(committed()).isEqualTo(atFirst.offset() + 1);
    assertThat(tool(NO_ENV, "list")).isZero();
    assertThat(out.toString()).doesNotContain(first.kafkaKey()).contains(second.kafkaKey());
    String through = Long.toString(atSecond.offset());
    assertThat(tool(NO_ENV, "dismiss", "--partition", "0", "--through", through)).isZero();
    assertThat(committed()).isEqualTo(atSecond.offset() + 1);
    assertThat(tool(NO_ENV, "list")).isZero();
    assertThat(out.toString()).contains("0 unhandled record(s)");
  }

  @Test
  void redrivingTheFirstUnhandledRecordCommitsJustPastIt() {
    ProvisioningCommand first = command(Instant.now());
    ProvisioningCommand second = command(Instant.now());
    RecordMetadata atFirst =
        setAside(first.kafkaKey(), ContractJson.toBytes(first), Topics.COMMANDS);
    setAside(second.kafkaKey(), ContractJson.toBytes(second), Topics.COMMANDS);

    assertThat(redriveOne(atFirst)).as(err.toString()).isZero();

    assertThat(committed()).isEqualTo(atFirst.offset() + 1);
    assertThat(tool(NO_ENV, "list")).isZero();
    assertThat(out.toString())
        .doesNotContain(first.kafkaKey())
        .contains(second.kafkaKey())
        .contains("1 unhandled record(s)");
    assertThat(onCommandsTopic(second.kafkaKey())).as("only the one asked for").isNull();
  }

  @Test
  void redriveAllCommitsEveryPartitionToItsEnd() {
    String twoPartitions = dlq + "-p2";
    broker.ensureTopics(Map.of(twoPartitions, 2));
    ProvisioningCommand a = command(Instant.now());
    ProvisioningCommand b = command(Instant.now());
    setAside(twoPartitions, 0, a.kafkaKey(), ContractJson.toBytes(a));
    setAside(twoPartitions, 1, b.kafkaKey(), ContractJson.toBytes(b));
    setAside(twoPartitions, 1, b.kafkaKey() + "x", ContractJson.toBytes(b));

    int code =
        Phubctl.run(
            new String[] {
              "--bootstrap",
              bootstrap,
              "dead-letters",
              "redrive",
              "--topic",
              twoPartitions,
              "--operator",
              "alice",
              "--all"
            },
            NO_ENV,
            new java.io.PrintWriter(out, true, StandardCharsets.UTF_8),
            new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));

    assertThat(code).as(err.toString()).isZero();
    Map<TopicPartition, Long> ends =
        new DeadLetterQueue(Map.of("bootstrap.servers", bootstrap), twoPartitions).ends();
    assertThat(ends.values()).containsExactlyInAnyOrder(1L, 2L);
    assertThat(committedOffsets(twoPartitions))
        .as("every partition committed to its end: the backlog gauge, end minus commit, reads 0")
        .isEqualTo(ends);
  }

  @Test
  void dismissingPastTheEndIsRefusedAndCommitsNothing() {
    ProvisioningCommand command = command(Instant.now());
    RecordMetadata dead =
        setAside(command.kafkaKey(), ContractJson.toBytes(command), Topics.COMMANDS);

    int past =
        tool(NO_ENV, "dismiss", "--partition", "0", "--through", Long.toString(dead.offset() + 1));
    assertThat(past).isEqualTo(Phubctl.REFUSED);
    assertThat(err.toString()).contains("end below offset " + (dead.offset() + 1));
    assertThat(tool(NO_ENV, "dismiss", "--partition", "7", "--through", "0"))
        .isEqualTo(Phubctl.REFUSED);
    assertThat(err.toString()).contains("no partition 7");
    assertThat(committed()).as("nothing committed").isNull();

    assertThat(
            tool(NO_ENV, "dismiss", "--partition", "0", "--through", Long.toString(dead.offset())))
        .as(err.toString())
        .isZero();
    assertThat(committed()).isEqualTo(dead.offset() + 1);
  }

  @Test
  void listingPrintsJsonOnAskingAndNeverABody() throws Exception {
    ProvisioningCommand command = command(Instant.now());
    setAside(command.kafkaKey(), ContractJson.toBytes(command), Topics.COMMANDS);

    out.reset();
    err.reset();
    int code =
        Phubctl.run(
            new String[] {
              "--bootstrap", bootstrap, "--output", "json", "dead-letters", "list", "--topic", dlq
            },
            NO_ENV,
            new java.io.PrintWriter(out, true, StandardCharsets.UTF_8),
            new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));

    assertThat(code).as(err.toString()).isZero();
    var listed = ContractJson.mapper().readTree(out.toString());
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).path("key").asText()).isEqualTo(command.kafkaKey());
    assertThat(listed.get(0).path("reason").asText()).isEqualTo("connection refused");
    assertThat(listed.get(0).path("handled").asBoolean()).isFalse();
    assertThat(out.toString()).doesNotContain(command.commandId().toString());
  }

  @Test
  void maxAgeAcceptsShortAndIsoForms() {
    assertThat(Durations.parse("--max-age", "24h", false)).isEqualTo(Duration.ofHours(24));
    assertThat(Durations.parse("--max-age", "90m", false)).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("--max-age", "7d", false)).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse("--max-age", "PT36H", false)).isEqualTo(Duration.ofHours(36));
    assertThatThrownBy(() -> Durations.parse("--max-age", "0h", false))
        .isInstanceOf(Phubctl.Failure.class);
    assertThatThrownBy(() -> Durations.parse("--max-age", "soon", false))
        .isInstanceOf(Phubctl.Failure.class);
    assertThat(tool(NO_ENV, "redrive", "--operator", "a", "--all", "--max-age", "soon"))
        .isEqualTo(Phubctl.USAGE);
  }

  private int redriveOne(RecordMetadata at) {
    return tool(
        NO_ENV,
        "redrive",
        "--operator",
        "alice",
        "--partition",
        Integer.toString(at.partition()),
        "--offset",
        Long.toString(at.offset()));
  }

  /** The handled mark of this test's topic, partition 0, or null if none was committed. */
  private Long committed() {
    return committedOffsets(dlq).get(new TopicPartition(dlq, 0));
  }

  private static Map<TopicPartition, Long> committedOffsets(String topic) {
    return HandledMarks.read(Map.of("bootstrap.servers", bootstrap), topic);
  }

  /** {@code phubctl --bootstrap <broker> dead-letters <command> --topic <this test's> args}. */
  private int tool(UnaryOperator<String> env, String... args) {
    out.reset();
    err.reset();
    List<String> full = new java.util.ArrayList<>();
    full.addAll(List.of("--bootstrap", bootstrap, "dead-letters", args[0], "--topic", dlq));
    full.addAll(List.of(args).subList(1, args.length));
    return Phubctl.run(
        full.toArray(String[]::new),
        env,
        new java.io.PrintWriter(out, true, StandardCharsets.UTF_8),
        new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
  }

  private static String[] append(String[] args, String more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = more;
    return all;
  }

  private static ProvisioningCommand command(Instant receivedAt) {
    return new ProvisioningCommand(
        UUID.randomUUID(),
        "t-" + UUID.randomUUID(),
        ResourceType.User,
        UUID.randomUUID().toString(),
        Operation.DELETE,
        null,
        receivedAt,
        null,
        "scim");
  }

  private RecordMetadata setAside(String key, byte[] value, String originalTopic) {
    return setAside(key, value, originalTopic, Instant.now());
  }

  private RecordMetadata setAside(String topic, int partition, String key, byte[] value) {
    return setAside(topic, partition, key, value, Topics.COMMANDS, Instant.now());
  }

  private RecordMetadata setAside(String key, byte[] value, String originalTopic, Instant at) {
    return setAside(dlq, 0, key, value, originalTopic, at);
  }

  /** A dead letter as the processor's failure strategy writes it. */
  private static RecordMetadata setAside(
      String topic, int partition, String key, byte[] value, String originalTopic, Instant at) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(DeadLetters.REASON, "connection refused".getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetters.ORIGINAL_TOPIC, originalTopic.getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetters.ORIGINAL_PARTITION, "0".getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetters.ORIGINAL_OFFSET, "0".getBytes(StandardCharsets.UTF_8));
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      return producer
          .send(
              new ProducerRecord<>(
                  topic,
                  partition,
                  at.toEpochMilli(),
                  key.getBytes(StandardCharsets.UTF_8),
                  value,
                  headers))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot write the dead letter", e);
    }
  }

  /**
   * The record with this key on the commands topic, or null. The tool waits for the broker's
   * acknowledgement of every record it sends, so reading the topic to its end after the tool
   * returned sees everything it wrote.
   */
  private static ConsumerRecord<byte[], byte[]> onCommandsTopic(String key) {
    return onTopic(Topics.COMMANDS, key);
  }

  private static ConsumerRecord<byte[], byte[]> onTopic(String topic, String key) {
    List<ConsumerRecord<byte[], byte[]>> found =
        new DeadLetterQueue(Map.of("bootstrap.servers", bootstrap), topic)
            .read().stream()
                .map(DeadLetterQueue.Letter::record)
                .filter(
                    r -> r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8)))
                .toList();
    assertThat(found).as("at most one record with key " + key).hasSizeLessThanOrEqualTo(1);
    return found.isEmpty() ? null : found.get(0);
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return r.headers().lastHeader(name) == null
        ? null
        : new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
