package io.provisioninghub.deadletters;

import io.provisioninghub.contracts.ContractFormatException;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.support.kafka.KafkaClientSettings;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Lists the records the processor set aside on the dead-letter topic and re-drives chosen ones to
 * {@code scim.commands.v1}. Re-driving is safe to repeat: the processor applies a command id at
 * most once. Bodies are never printed (they hold personal data); only where a record came from and
 * why it was set aside.
 *
 * <p>A re-drive is an operator's decision and is recorded as such: the operator's name travels in
 * the {@code phub-redriven-by} header. Only records that came from {@code scim.commands.v1} go
 * back, and only to that topic, whatever a header says. A command older than {@code --max-age} (24
 * h by default) is refused without {@code --force}: replaying an old re-activation could undo a
 * leave the identity provider sent since.
 *
 * <pre>
 * dead-letters [--command-config client.properties] [--bootstrap host:port]
 *              [--topic scim.commands.dlq.v1] list
 * dead-letters [--command-config client.properties] [--bootstrap host:port]
 *              redrive (--all | --partition P --offset O) [--operator NAME] [--max-age 24h] [--force]
 * </pre>
 *
 * The Kafka connection comes from the same settings as the services': {@code KAFKA_*} environment
 * variables ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code KAFKA_SECURITY_PROTOCOL}, {@code
 * KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}, {@code KAFKA_SSL_*}), overridden by a
 * Kafka client properties file ({@code --command-config}, as Kafka's own tools take it), overridden
 * by {@code --bootstrap}. The operator defaults to {@code USER}.
 */
public final class DeadLetterTool {

  public static final String DEFAULT_TOPIC = Topics.COMMANDS_DLQ;

  /** The only topic records are re-driven to. */
  public static final String REDRIVE_TOPIC = Topics.COMMANDS;

  /** Records older than this are refused unless {@code --force} is given. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);

  /** Headers the processor's dead-letter strategy writes. */
  public static final String REASON = "dead-letter-reason";

  public static final String ORIGINAL_TOPIC = "dead-letter-topic";
  public static final String ORIGINAL_PARTITION = "dead-letter-partition";
  public static final String ORIGINAL_OFFSET = "dead-letter-offset";

  /** Set on a re-driven record: the dead-letter record it came from. */
  public static final String REDRIVEN_FROM = "phub-redriven-from";

  /** Set on a re-driven record: the operator who re-drove it. */
  public static final String REDRIVEN_BY = "phub-redriven-by";

  /** Exit codes. */
  static final int OK = 0;

  static final int REFUSED = 1;
  static final int USAGE = 2;

  private static final int MAX_OPERATOR_LENGTH = 200;
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})([smhd])");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private DeadLetterTool() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command; returns the process exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, System::getenv);
  }

  /** As {@link #run(String[], PrintStream, PrintStream)}, with the environment given. */
  static int run(String[] args, PrintStream out, PrintStream err, UnaryOperator<String> env) {
    Map<String, String> kafka = new LinkedHashMap<>(KafkaClientSettings.fromEnvironment(env));
    String bootstrap = null;
    Path commandConfig = null;
    String topic = DEFAULT_TOPIC;
    String command = null;
    boolean all = false;
    boolean force = false;
    Integer partition = null;
    Long offset = null;
    String operator = null;
    Duration maxAge = DEFAULT_MAX_AGE;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--bootstrap" -> bootstrap = args[++i];
          case "--command-config" -> commandConfig = Path.of(args[++i]);
          case "--topic" -> topic = args[++i];
          case "--all" -> all = true;
          case "--force" -> force = true;
          case "--partition" -> partition = Integer.parseInt(args[++i]);
          case "--offset" -> offset = Long.parseLong(args[++i]);
          case "--operator" -> operator = args[++i];
          case "--max-age" -> maxAge = duration(args[++i]);
          case "list", "redrive" -> command = args[i];
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      err.println("missing value after " + args[args.length - 1]);
      return usage(err);
    } catch (RuntimeException e) {
      err.println(e.getMessage() == null ? e.toString() : e.getMessage());
      return usage(err);
    }
    if (commandConfig != null) {
      try {
        kafka.putAll(KafkaClientSettings.fromFile(commandConfig));
      } catch (java.io.UncheckedIOException e) {
        err.println(e.getMessage());
        return usage(err);
      }
    }
    if (bootstrap != null && !bootstrap.isBlank()) {
      kafka.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    }
    String servers = kafka.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (servers == null || servers.isBlank() || command == null) {
      return usage(err);
    }
    if (command.equals("list")) {
      List<ConsumerRecord<byte[], byte[]>> records = read(kafka, topic);
      records.forEach(r -> out.println(describe(r)));
      out.println(records.size() + " dead-lettered record(s) on " + topic);
      return OK;
    }
    if (!all && (partition == null || offset == null)) {
      err.println("redrive needs --all, or --partition and --offset");
      return usage(err);
    }
    if (operator == null) {
      operator = env.apply("USER");
    }
    Optional<String> problem = operatorProblem(operator);
    if (problem.isPresent()) {
      err.println(problem.get());
      return usage(err);
    }
    final Integer p = partition;
    final Long o = offset;
    boolean everything = all;
    List<ConsumerRecord<byte[], byte[]>> chosen =
        read(kafka, topic).stream()
            .filter(r -> everything || (r.partition() == p && r.offset() == o))
            .collect(Collectors.toList());
    if (chosen.isEmpty()) {
      err.println("no such dead-lettered record");
      return REFUSED;
    }
    Instant now = Instant.now();
    List<ConsumerRecord<byte[], byte[]>> accepted = new ArrayList<>();
    int refused = 0;
    for (ConsumerRecord<byte[], byte[]> r : chosen) {
      Optional<String> why = refusal(r, now, maxAge, force);
      if (why.isPresent()) {
        refused++;
        err.println("refused " + topic + "-" + r.partition() + "@" + r.offset() + ": " + why.get());
      } else {
        accepted.add(r);
      }
    }
    redrive(kafka, topic, accepted, operator.trim(), out);
    return refused == 0 ? OK : REFUSED;
  }

  private static int usage(PrintStream err) {
    err.println(
        "usage: dead-letters [--command-config client.properties] [--bootstrap host:port] [--topic "
            + DEFAULT_TOPIC
            + "] (list | redrive (--all | --partition P --offset O)"
            + " [--operator NAME] [--max-age 24h] [--force])");
    err.println(
        "  redrive records the operator (--operator, or $USER) and refuses commands older than"
            + " --max-age (default 24h; s, m, h, d or ISO-8601 such as PT36H) unless --force");
    err.println(
        "  Kafka settings: KAFKA_* variables as for the services (KAFKA_BOOTSTRAP_SERVERS,"
            + " KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_JAAS_CONFIG, ...), then --command-config, then"
            + " --bootstrap");
    return USAGE;
  }

  /** {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d} or an ISO-8601 duration; positive. */
  static Duration duration(String text) {
    Duration d;
    Matcher m = SHORT_DURATION.matcher(text.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
    } else {
      try {
        d = Duration.parse(text.trim());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "--max-age " + text + " is not a duration such as 24h, 90m, 7d or PT36H");
      }
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("--max-age must be positive");
    }
    return d;
  }

  private static Optional<String> operatorProblem(String operator) {
    if (operator == null || operator.isBlank()) {
      return Optional.of("redrive needs the operator's name: --operator NAME (or $USER)");
    }
    String name = operator.trim();
    if (name.length() > MAX_OPERATOR_LENGTH) {
      return Optional.of("--operator is longer than " + MAX_OPERATOR_LENGTH + " characters");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      return Optional.of("--operator must not contain control characters");
    }
    return Optional.empty();
  }

  /** Why a record must not be re-driven, or empty if it may. */
  static Optional<String> refusal(
      ConsumerRecord<byte[], byte[]> r, Instant now, Duration maxAge, boolean force) {
    String origin = header(r, ORIGINAL_TOPIC, null);
    if (!REDRIVE_TOPIC.equals(origin)) {
      // Never forced: a header must not choose where a record is written.
      return Optional.of(
          "it came from "
              + (origin == null ? "an unknown topic" : origin)
              + "; only records from "
              + REDRIVE_TOPIC
              + " are re-driven");
    }
    Instant since = oldest(r);
    Duration age = Duration.between(since, now);
    if (age.compareTo(maxAge) > 0 && !force) {
      return Optional.of(
          "the command is from "
              + since
              + " ("
              + age.toHours()
              + " h ago), older than --max-age "
              + maxAge
              + "; a later change may have overtaken it. Check the resource, then re-drive"
              + " with --force if it is still wanted");
    }
    return Optional.empty();
  }

  /**
   * The earliest moment the record is known to stand for: the command's {@code receivedAt} (when
   * the identity provider sent it) if the body is a readable command, else when it was set aside.
   */
  static Instant oldest(ConsumerRecord<byte[], byte[]> r) {
    Instant setAside = Instant.ofEpochMilli(r.timestamp());
    try {
      Instant received = ContractJson.command(r.value()).receivedAt();
      return received.isBefore(setAside) ? received : setAside;
    } catch (ContractFormatException e) {
      return setAside;
    }
  }

  /** Everything on the topic up to its end as of now. */
  static List<ConsumerRecord<byte[], byte[]>> read(Map<String, String> kafka, String topic) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            KafkaClientSettings.client(
                kafka,
                Map.of(
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    false,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    "read_committed")),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, TIMEOUT).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp, TIMEOUT) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end in " + TIMEOUT);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            out.add(r);
          }
        }
      }
    }
    return out;
  }

  static String describe(ConsumerRecord<byte[], byte[]> r) {
    return String.format(
        "%d@%d %s from %s-%s@%s key=%s bytes=%d reason=%s",
        r.partition(),
        r.offset(),
        Instant.ofEpochMilli(r.timestamp()),
        header(r, ORIGINAL_TOPIC, "?"),
        header(r, ORIGINAL_PARTITION, "?"),
        header(r, ORIGINAL_OFFSET, "?"),
        r.key() == null ? "-" : new String(r.key(), StandardCharsets.UTF_8),
        r.value() == null ? 0 : r.value().length,
        header(r, REASON, "-").replace('\n', ' '));
  }

  private static void redrive(
      Map<String, String> kafka,
      String dlqTopic,
      List<ConsumerRecord<byte[], byte[]>> records,
      String operator,
      PrintStream out) {
    if (records.isEmpty()) {
      return;
    }
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            KafkaClientSettings.client(
                kafka,
                Map.of(
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    true)),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (ConsumerRecord<byte[], byte[]> r : records) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) {
          if (!h.key().startsWith("dead-letter-")
              && !h.key().equals(REDRIVEN_FROM)
              && !h.key().equals(REDRIVEN_BY)) {
            headers.add(h);
          }
        }
        String from = dlqTopic + "-" + r.partition() + "@" + r.offset();
        headers.add(REDRIVEN_FROM, from.getBytes(StandardCharsets.UTF_8));
        headers.add(REDRIVEN_BY, operator.getBytes(StandardCharsets.UTF_8));
        try {
          producer
              .send(new ProducerRecord<>(REDRIVE_TOPIC, null, r.key(), r.value(), headers))
              .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException("re-driving " + from + " failed", e);
        }
        out.println("re-drove " + from + " to " + REDRIVE_TOPIC + " by " + operator);
      }
    }
  }

  private static String header(ConsumerRecord<?, ?> r, String key, String otherwise) {
    Header h = r.headers().lastHeader(key);
    return h == null || h.value() == null
        ? otherwise
        : new String(h.value(), StandardCharsets.UTF_8);
  }
}
