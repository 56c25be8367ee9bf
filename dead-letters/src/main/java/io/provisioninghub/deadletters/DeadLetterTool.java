package io.provisioninghub.deadletters;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
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
 * the topic they came from. Re-driving is safe to repeat: the processor applies a command id at
 * most once. Bodies are never printed (they hold personal data); only where a record came from and
 * why it was set aside.
 *
 * <pre>
 * dead-letters [--bootstrap host:port] [--topic scim.commands.dlq.v1] list
 * dead-letters [--bootstrap host:port] redrive (--all | --partition P --offset O)
 * </pre>
 *
 * The bootstrap servers default to {@code KAFKA_BOOTSTRAP_SERVERS}.
 */
public final class DeadLetterTool {

  public static final String DEFAULT_TOPIC = "scim.commands.dlq.v1";

  /** Headers the processor's dead-letter strategy writes. */
  public static final String REASON = "dead-letter-reason";

  public static final String ORIGINAL_TOPIC = "dead-letter-topic";
  public static final String ORIGINAL_PARTITION = "dead-letter-partition";
  public static final String ORIGINAL_OFFSET = "dead-letter-offset";

  /** Set on a re-driven record: the dead-letter record it came from. */
  public static final String REDRIVEN_FROM = "phub-redriven-from";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private DeadLetterTool() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command; returns the process exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String bootstrap = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
    String topic = DEFAULT_TOPIC;
    String command = null;
    boolean all = false;
    Integer partition = null;
    Long offset = null;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--bootstrap" -> bootstrap = args[++i];
          case "--topic" -> topic = args[++i];
          case "--all" -> all = true;
          case "--partition" -> partition = Integer.parseInt(args[++i]);
          case "--offset" -> offset = Long.parseLong(args[++i]);
          case "list", "redrive" -> command = args[i];
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
      }
    } catch (RuntimeException e) {
      err.println(e.getMessage() == null ? e.toString() : e.getMessage());
      return usage(err);
    }
    if (bootstrap == null || bootstrap.isBlank() || command == null) {
      return usage(err);
    }
    List<ConsumerRecord<byte[], byte[]>> records = read(bootstrap, topic);
    if (command.equals("list")) {
      records.forEach(r -> out.println(describe(r)));
      out.println(records.size() + " dead-lettered record(s) on " + topic);
      return 0;
    }
    if (!all && (partition == null || offset == null)) {
      err.println("redrive needs --all, or --partition and --offset");
      return usage(err);
    }
    final Integer p = partition;
    final Long o = offset;
    boolean everything = all;
    List<ConsumerRecord<byte[], byte[]>> chosen =
        records.stream()
            .filter(r -> everything || (r.partition() == p && r.offset() == o))
            .collect(Collectors.toList());
    if (chosen.isEmpty()) {
      err.println("no such dead-lettered record");
      return 1;
    }
    redrive(bootstrap, topic, chosen, out);
    return 0;
  }

  private static int usage(PrintStream err) {
    err.println(
        "usage: dead-letters [--bootstrap host:port] [--topic "
            + DEFAULT_TOPIC
            + "] (list | redrive (--all | --partition P --offset O))");
    return 2;
  }

  /** Everything on the topic up to its end as of now. */
  static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
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
      String bootstrap,
      String dlqTopic,
      List<ConsumerRecord<byte[], byte[]>> records,
      PrintStream out) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (ConsumerRecord<byte[], byte[]> r : records) {
        String target = header(r, ORIGINAL_TOPIC, null);
        if (target == null) {
          out.println("skipped " + r.partition() + "@" + r.offset() + ": no original topic");
          continue;
        }
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) {
          if (!h.key().startsWith("dead-letter-") && !h.key().equals(REDRIVEN_FROM)) {
            headers.add(h);
          }
        }
        String from = dlqTopic + "-" + r.partition() + "@" + r.offset();
        headers.add(REDRIVEN_FROM, from.getBytes(StandardCharsets.UTF_8));
        try {
          producer
              .send(new ProducerRecord<>(target, null, r.key(), r.value(), headers))
              .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException("re-driving " + from + " failed", e);
        }
        out.println("re-drove " + from + " to " + target);
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
