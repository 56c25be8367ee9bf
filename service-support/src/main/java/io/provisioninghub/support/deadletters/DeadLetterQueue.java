package io.provisioninghub.support.deadletters;

import io.provisioninghub.contracts.ContractFormatException;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.DeadLetters;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.support.kafka.KafkaClientSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The records the processor set aside on a dead-letter topic, what an operator has handled of them,
 * and re-driving them to {@code scim.commands.v1}. Bodies are never shown (they hold personal
 * data); only where a record came from and why it was set aside.
 *
 * <p>Handled means re-driven or dismissed, and is kept as the committed offsets of the consumer
 * group {@link DeadLetters#HANDLED_GROUP} (no consumer runs in it): a partition's records below its
 * committed offset are handled, the rest is the backlog the processor reports as {@code
 * phub_dead_letter_backlog_records}. Commits only move forward.
 *
 * <p>Re-driving is safe to repeat: the processor applies a command id at most once. Only records
 * that came from {@code scim.commands.v1} go back, and only to that topic, whatever a header says;
 * the operator's name travels in the {@code phub-redriven-by} header.
 *
 * <p>Shared by phubctl's {@code dead-letters} commands and the operator console.
 */
public final class DeadLetterQueue {

  /** The only topic records are re-driven to. */
  public static final String REDRIVE_TOPIC = Topics.COMMANDS;

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** One record of the topic and whether it is handled. */
  public record Letter(ConsumerRecord<byte[], byte[]> record, boolean handled) {

    public TopicPartition partition() {
      return new TopicPartition(record.topic(), record.partition());
    }

    public Map<String, Object> describe() {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      out.put("partition", record.partition());
      out.put("offset", record.offset());
      out.put("setAsideAt", Instant.ofEpochMilli(record.timestamp()).toString());
      out.put("from", header(record, DeadLetters.ORIGINAL_TOPIC, "?"));
      out.put("fromPartition", header(record, DeadLetters.ORIGINAL_PARTITION, "?"));
      out.put("fromOffset", header(record, DeadLetters.ORIGINAL_OFFSET, "?"));
      out.put(
          "key", record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
      out.put("bytes", record.value() == null ? 0 : record.value().length);
      out.put("reason", header(record, DeadLetters.REASON, "-").replace('\n', ' '));
      out.put("handled", handled);
      return out;
    }

    public String line() {
      return String.format(
          "%d@%d %s from %s-%s@%s key=%s bytes=%d reason=%s%s",
          record.partition(),
          record.offset(),
          Instant.ofEpochMilli(record.timestamp()),
          header(record, DeadLetters.ORIGINAL_TOPIC, "?"),
          header(record, DeadLetters.ORIGINAL_PARTITION, "?"),
          header(record, DeadLetters.ORIGINAL_OFFSET, "?"),
          record.key() == null ? "-" : new String(record.key(), StandardCharsets.UTF_8),
          record.value() == null ? 0 : record.value().length,
          header(record, DeadLetters.REASON, "-").replace('\n', ' '),
          handled ? " (handled)" : "");
    }
  }

  private final Map<String, String> kafka;
  private final String topic;

  public DeadLetterQueue(Map<String, String> kafka, String topic) {
    this.kafka = kafka;
    this.topic = topic;
  }

  public String topic() {
    return topic;
  }

  /** Every record on the topic up to its end as of now, marked handled or not. */
  public List<Letter> read() {
    List<Letter> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = partitions(consumer);
      Map<TopicPartition, OffsetAndMetadata> handled =
          consumer.committed(new java.util.HashSet<>(partitions), TIMEOUT);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp, TIMEOUT) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end in " + TIMEOUT);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (r.offset() < end.get(tp)) {
            OffsetAndMetadata mark = handled.get(tp);
            out.add(new Letter(r, mark != null && r.offset() < mark.offset()));
          }
        }
      }
    }
    return out;
  }

  /**
   * Marks records as handled: for each partition, everything below the given offset. A partition
   * whose commit is already further is left as it is.
   */
  public void markHandled(Map<TopicPartition, Long> below) {
    if (below.isEmpty()) {
      return;
    }
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      Map<TopicPartition, OffsetAndMetadata> current = consumer.committed(below.keySet(), TIMEOUT);
      Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
      below.forEach(
          (tp, offset) -> {
            OffsetAndMetadata at = current.get(tp);
            if (at == null || at.offset() < offset) {
              commits.put(tp, new OffsetAndMetadata(offset, "phubctl"));
            }
          });
      if (!commits.isEmpty()) {
        consumer.assign(List.copyOf(commits.keySet()));
        consumer.commitSync(commits, TIMEOUT);
      }
    }
  }

  /**
   * How far each partition is handled once {@code done} are re-driven: past every record, from the
   * oldest on, that is handled already or done now. A record refused, or one before a record
   * re-driven out of order, stops the mark: it stays in the backlog until it is re-driven or
   * dismissed.
   */
  public static Map<TopicPartition, Long> handledMarks(
      List<Letter> letters, List<ConsumerRecord<byte[], byte[]>> done) {
    java.util.Set<String> doneNow = new java.util.HashSet<>();
    done.forEach(r -> doneNow.add(r.partition() + "@" + r.offset()));
    Map<TopicPartition, Long> marks = new HashMap<>();
    java.util.Set<TopicPartition> stopped = new java.util.HashSet<>();
    letters.stream()
        .sorted(
            java.util.Comparator.comparingInt((Letter l) -> l.record().partition())
                .thenComparingLong(l -> l.record().offset()))
        .forEach(
            l -> {
              TopicPartition tp = l.partition();
              if (stopped.contains(tp)) {
                return;
              }
              if (l.handled()
                  || doneNow.contains(l.record().partition() + "@" + l.record().offset())) {
                marks.put(tp, l.record().offset() + 1);
              } else {
                stopped.add(tp);
              }
            });
    return marks;
  }

  /** The end offset of every partition: marking below them handles everything there is now. */
  public Map<TopicPartition, Long> ends() {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      return consumer.endOffsets(partitions(consumer), TIMEOUT);
    }
  }

  /** Why a record must not be re-driven, or empty if it may. */
  public static Optional<String> refusal(
      ConsumerRecord<byte[], byte[]> r, Instant now, Duration maxAge, boolean force) {
    String origin = header(r, DeadLetters.ORIGINAL_TOPIC, null);
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
  public static Instant oldest(ConsumerRecord<byte[], byte[]> r) {
    Instant setAside = Instant.ofEpochMilli(r.timestamp());
    try {
      Instant received = ContractJson.command(r.value()).receivedAt();
      return received.isBefore(setAside) ? received : setAside;
    } catch (ContractFormatException e) {
      return setAside;
    }
  }

  /**
   * Sends the records back to {@code scim.commands.v1} (key, body and headers, less the {@code
   * dead-letter-*} ones, plus where it came from and who re-drove it); returns what was sent, as
   * {@code topic-partition@offset}.
   */
  public List<String> redrive(List<ConsumerRecord<byte[], byte[]>> records, String operator) {
    List<String> sent = new ArrayList<>();
    if (records.isEmpty()) {
      return sent;
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
              && !h.key().equals(DeadLetters.REDRIVEN_FROM)
              && !h.key().equals(DeadLetters.REDRIVEN_BY)) {
            headers.add(h);
          }
        }
        String from = topic + "-" + r.partition() + "@" + r.offset();
        headers.add(DeadLetters.REDRIVEN_FROM, from.getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetters.REDRIVEN_BY, operator.getBytes(StandardCharsets.UTF_8));
        try {
          producer
              .send(new ProducerRecord<>(REDRIVE_TOPIC, null, r.key(), r.value(), headers))
              .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException("re-driving " + from + " failed", e);
        }
        sent.add(from);
      }
    }
    return sent;
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    return new KafkaConsumer<>(
        KafkaClientSettings.client(
            kafka,
            Map.of(
                ConsumerConfig.GROUP_ID_CONFIG,
                DeadLetters.HANDLED_GROUP,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed")),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  private List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer) {
    return consumer.partitionsFor(topic, TIMEOUT).stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .toList();
  }

  public static String header(ConsumerRecord<?, ?> r, String key, String otherwise) {
    Header h = r.headers().lastHeader(key);
    return h == null || h.value() == null
        ? otherwise
        : new String(h.value(), StandardCharsets.UTF_8);
  }
}
