package io.provisioninghub.audit.ingest;

import io.provisioninghub.audit.metrics.IngestMetrics;
import io.provisioninghub.contracts.ContractFormatException;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Topics;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code scim.commands.v1}, {@code scim.outcomes.v1} and {@code scim.commands.dlq.v1}
 * (commands the processor set aside, which get no outcome) in batches and stores each batch in one
 * transaction; the offsets are committed after it returns. Unreadable records are logged (never
 * their body), recorded in {@code audit.skipped_records} and skipped.
 */
@ApplicationScoped
public class OperationsConsumer {

  private static final Logger LOG = Logger.getLogger(OperationsConsumer.class);

  private final OperationWriter writer;
  private final IngestConfig config;
  private final IngestMetrics metrics;
  private final AtomicLong skipped = new AtomicLong();

  public OperationsConsumer(OperationWriter writer, IngestConfig config, IngestMetrics metrics) {
    this.writer = writer;
    this.config = config;
    this.metrics = metrics;
  }

  @Incoming("audit-in")
  @Blocking
  public void consume(ConsumerRecords<String, byte[]> records) throws InterruptedException {
    metrics.storing();
    long skippedBefore = skipped.get();
    List<IngestItem> items = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      items.add(read(record));
    }
    try {
      storeWithRetry(items);
    } catch (RuntimeException e) {
      metrics.failed(items.size());
      throw e;
    }
    metrics.stored(records, skipped.get() - skippedBefore);
  }

  /** Unreadable records seen by this instance since it started. */
  public long skippedCount() {
    return skipped.get();
  }

  IngestItem read(ConsumerRecord<String, byte[]> record) {
    IngestItem.Source source =
        new IngestItem.Source(
            record.topic(),
            record.partition(),
            record.offset(),
            io.provisioninghub.audit.metrics.TraceParent.traceId(record.headers()));
    try {
      if (Topics.COMMANDS.equals(record.topic())) {
        return new IngestItem.CommandSeen(source, ContractJson.command(record.value()));
      }
      if (Topics.OUTCOMES.equals(record.topic())) {
        return new IngestItem.OutcomeSeen(source, ContractJson.outcome(record.value()));
      }
      if (Topics.COMMANDS_DLQ.equals(record.topic())) {
        return new IngestItem.DeadLettered(source, ContractJson.command(record.value()));
      }
      return skip(source, record.value() == null ? 0 : record.value().length, "unexpected topic");
    } catch (ContractFormatException | IllegalArgumentException | NullPointerException e) {
      return skip(source, record.value() == null ? 0 : record.value().length, reason(e));
    }
  }

  private IngestItem skip(IngestItem.Source source, int size, String reason) {
    skipped.incrementAndGet();
    LOG.warnf(
        "skipping unreadable record %s-%d@%d (%d bytes): %s",
        source.topic(), source.partition(), source.offset(), size, reason);
    return new IngestItem.Skipped(source, reason);
  }

  /**
   * Only the first line of our own message, without the parser's detail: Jackson messages can quote
   * parts of the body.
   */
  private static String reason(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int colon = message.indexOf(": ");
    String head = colon > 0 ? message.substring(0, colon) : message;
    int newline = head.indexOf('\n');
    head = newline > 0 ? head.substring(0, newline) : head;
    return head.length() > 200 ? head.substring(0, 200) : head;
  }

  /**
   * Transient database failures (connection, serialization, deadlock, resources) are retried with
   * backoff. Any other failure means some record of the batch cannot be stored: the batch is then
   * written record by record and the ones that fail are skipped and recorded, so one bad record
   * never stops the consumer.
   */
  private void storeWithRetry(List<IngestItem> items) throws InterruptedException {
    long backoff = config.retry().initialBackoff().toMillis();
    long maxBackoff = config.retry().maxBackoff().toMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        writer.write(items);
        return;
      } catch (SQLException e) {
        if (!isTransient(e)) {
          LOG.warnf(
              "an audit batch of %d cannot be stored (SQL state %s); storing record by record",
              items.size(), e.getSQLState());
          storeOneByOne(items);
          return;
        }
        if (attempt >= config.retry().maxAttempts()) {
          throw new IllegalStateException(
              "cannot store an audit batch of " + items.size() + " after " + attempt + " attempts",
              e);
        }
        LOG.warnf(
            "storing an audit batch failed (attempt %d, SQL state %s); retrying in %d ms",
            attempt, e.getSQLState(), backoff);
        // A bounded backoff between retries of a failed database write, not a wait for Kafka.
        TimeUnit.MILLISECONDS.sleep(backoff);
        backoff = Math.min(maxBackoff, backoff * 2);
      }
    }
  }

  private void storeOneByOne(List<IngestItem> items) throws InterruptedException {
    for (IngestItem item : items) {
      try {
        writer.write(List.of(item));
      } catch (SQLException e) {
        if (isTransient(e)) {
          storeWithRetry(List.of(item));
          continue;
        }
        IngestItem.Source source = item.source();
        if (item instanceof IngestItem.Skipped) {
          LOG.errorf(
              "cannot record skipped record %s-%d@%d (SQL state %s)",
              source.topic(), source.partition(), source.offset(), e.getSQLState());
          continue;
        }
        skipped.incrementAndGet();
        LOG.warnf(
            "skipping record %s-%d@%d that cannot be stored: SQL state %s",
            source.topic(), source.partition(), source.offset(), e.getSQLState());
        storeWithRetry(
            List.of(
                new IngestItem.Skipped(source, "cannot be stored: SQL state " + e.getSQLState())));
      }
    }
  }

  /** Connection exceptions, serialization failures and deadlocks, resource and operator states. */
  static boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    if (state == null) {
      return false;
    }
    return state.startsWith("08")
        || state.equals("40001")
        || state.equals("40P01")
        || state.startsWith("53")
        || state.startsWith("57P");
  }
}
