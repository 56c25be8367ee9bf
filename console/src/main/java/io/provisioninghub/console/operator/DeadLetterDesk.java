package io.provisioninghub.console.operator;

import io.provisioninghub.console.web.Format;
import io.provisioninghub.contracts.ContractFormatException;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.DeadLetters;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.support.deadletters.DeadLetterQueue;
import io.provisioninghub.support.deadletters.DeadLetterQueue.Letter;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The dead letters of {@code scim.commands.dlq.v1} for the operator pages, through the same {@link
 * DeadLetterQueue} as phubctl: list, one record's metadata and headers (never its body: it may hold
 * personal data), and re-driving one record with the operator's name in {@code phub-redriven-by}.
 * Kafka settings are the shared {@code kafka.*} ones (on a secured broker the operators' principal
 * {@code dead-letters}).
 */
@Singleton
public class DeadLetterDesk {

  private static final Logger LOG = Logger.getLogger(DeadLetterDesk.class);

  /** Older commands are refused unless forced, as phubctl's {@code --max-age} default. */
  static final Duration MAX_AGE = Duration.ofHours(24);

  private final Map<String, String> kafka;

  public DeadLetterDesk(Config config) {
    this.kafka =
        kafkaSettings(config.getPropertyNames(), n -> config.getOptionalValue(n, String.class));
  }

  /**
   * The Kafka client settings among these configuration names: {@code kafka.sasl.mechanism} (a
   * properties file, a system property) and, as Quarkus' Kafka extension reads them, environment
   * names such as {@code KAFKA_SASL_JAAS_CONFIG} (Kubernetes Secrets, compose); a dotted name wins.
   */
  static Map<String, String> kafkaSettings(
      Iterable<String> names, Function<String, Optional<String>> value) {
    Map<String, String> dotted = new LinkedHashMap<>();
    Map<String, String> environment = new LinkedHashMap<>();
    for (String name : names) {
      if (name.startsWith("kafka.") && name.length() > 6) {
        value.apply(name).ifPresent(v -> dotted.put(name.substring(6), v));
      } else if (name.startsWith("KAFKA_") && name.length() > 6) {
        String client = name.substring(6).toLowerCase(Locale.ROOT).replace('_', '.');
        value.apply(name).ifPresent(v -> environment.put(client, v));
      }
    }
    environment.putAll(dotted);
    return Map.copyOf(environment);
  }

  /** One dead letter as a table row. */
  public record Row(
      int partition,
      long offset,
      String setAsideAt,
      String tenant,
      String commandId,
      String reason,
      boolean handled) {}

  /** One dead letter's metadata and headers (values of at most 500 characters). */
  public record Detail(Row row, String from, String key, int bytes, Map<String, String> headers) {}

  /** Whether a broker is configured ({@code kafka.bootstrap.servers}). */
  public boolean configured() {
    String servers = kafka.get("bootstrap.servers");
    return servers != null && !servers.isBlank();
  }

  /** Every record, newest first; only those not handled unless {@code all}. */
  public List<Row> list(boolean all) {
    List<Row> rows = new ArrayList<>();
    for (Letter l : read()) {
      if (all || !l.handled()) {
        rows.add(row(l));
      }
    }
    rows.sort(
        Comparator.comparing(Row::setAsideAt)
            .reversed()
            .thenComparing(Row::partition)
            .thenComparing(Row::offset));
    return rows;
  }

  public Optional<Detail> detail(int partition, long offset) {
    return find(read(), partition, offset)
        .map(
            l -> {
              ConsumerRecord<byte[], byte[]> r = l.record();
              Map<String, String> headers = new LinkedHashMap<>();
              r.headers()
                  .forEach(
                      h -> {
                        String value =
                            h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
                        headers.put(
                            h.key(), value.length() > 500 ? value.substring(0, 500) + "…" : value);
                      });
              return new Detail(
                  row(l),
                  DeadLetterQueue.header(r, DeadLetters.ORIGINAL_TOPIC, "?")
                      + "-"
                      + DeadLetterQueue.header(r, DeadLetters.ORIGINAL_PARTITION, "?")
                      + "@"
                      + DeadLetterQueue.header(r, DeadLetters.ORIGINAL_OFFSET, "?"),
                  r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8),
                  r.value() == null ? 0 : r.value().length,
                  headers);
            });
  }

  /** Why this record may not be re-driven now, or empty if it may. */
  public Optional<String> refusal(int partition, long offset, boolean force) {
    Letter letter =
        find(read(), partition, offset)
            .orElseThrow(
                () ->
                    new ActionRefused("There is no dead letter at " + at(partition, offset) + "."));
    return DeadLetterQueue.refusal(letter.record(), Instant.now(), MAX_AGE, force);
  }

  /**
   * Sends one record back to {@code scim.commands.v1} naming the operator, and marks it handled
   * (with every handled record before it).
   *
   * @throws ActionRefused no such record, or it may not be re-driven
   */
  public void redrive(int partition, long offset, Operator operator, boolean force) {
    DeadLetterQueue queue = queue();
    List<Letter> letters = read(queue);
    Letter letter =
        find(letters, partition, offset)
            .orElseThrow(
                () ->
                    new ActionRefused("There is no dead letter at " + at(partition, offset) + "."));
    Optional<String> why = DeadLetterQueue.refusal(letter.record(), Instant.now(), MAX_AGE, force);
    if (why.isPresent()) {
      throw new ActionRefused("It cannot be re-driven: " + why.get() + ".");
    }
    try {
      queue.redrive(List.of(letter.record()), "console:operator:" + operator.name());
      queue.markHandled(DeadLetterQueue.handledMarks(letters, List.of(letter.record())));
    } catch (KafkaException | IllegalStateException e) {
      throw new DeadLettersUnavailable(e);
    }
    LOG.infof("operator %s: dead letter %s re-driven", operator.name(), at(partition, offset));
  }

  private List<Letter> read() {
    return read(queue());
  }

  private List<Letter> read(DeadLetterQueue queue) {
    try {
      return queue.read();
    } catch (KafkaException | IllegalStateException e) {
      throw new DeadLettersUnavailable(e);
    }
  }

  private DeadLetterQueue queue() {
    if (!configured()) {
      throw new DeadLettersUnavailable(null);
    }
    return new DeadLetterQueue(kafka, Topics.COMMANDS_DLQ);
  }

  private static Optional<Letter> find(List<Letter> letters, int partition, long offset) {
    return letters.stream()
        .filter(l -> l.record().partition() == partition && l.record().offset() == offset)
        .findFirst();
  }

  private static Row row(Letter l) {
    ConsumerRecord<byte[], byte[]> r = l.record();
    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
    int slash = key.indexOf('/');
    String commandId;
    try {
      commandId = r.value() == null ? "" : ContractJson.command(r.value()).commandId().toString();
    } catch (ContractFormatException e) {
      commandId = "";
    }
    return new Row(
        r.partition(),
        r.offset(),
        Format.time(Instant.ofEpochMilli(r.timestamp())),
        slash > 0 ? key.substring(0, slash) : "",
        commandId,
        DeadLetterQueue.header(r, DeadLetters.REASON, "").replace('\n', ' '),
        l.handled());
  }

  static String at(int partition, long offset) {
    return Topics.COMMANDS_DLQ + "-" + partition + "@" + offset;
  }

  /** The broker cannot be reached or read (or none is configured): the 503 page. */
  public static class DeadLettersUnavailable extends RuntimeException {
    DeadLettersUnavailable(Throwable cause) {
      super(
          cause == null ? "no Kafka bootstrap servers configured" : "Kafka: " + cause.getMessage(),
          cause);
    }
  }
}
