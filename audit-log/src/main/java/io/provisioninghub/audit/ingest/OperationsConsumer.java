package io.provisioninghub.audit.ingest;

import io.provisioninghub.audit.metrics.IngestMetrics;
import io.provisioninghub.contracts.ContractFormatException;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.support.consumer.SetAsideRecords.Reason;
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
 * transaction; the offsets are committed after it returns. A record that cannot be read, stored or
 * handled at all (whatever it throws, an {@link Error} such as StackOverflowError included) is
 * logged (never its body), recorded in {@code audit.skipped_records}, counted in {@code
 * phub_consumer_records_set_aside_total{consumer="audit-log"}} and skipped: one record never stops
 * the channel. Only a database that stays unreachable through every retry does.
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
      return skip(
          source,
          record.value() == null ? 0 : record.value().length,
          "unexpected topic",
          Reason.UNREADABLE);
    } catch (ContractFormatException | IllegalArgumentException | NullPointerException e) {
      return skip(
          source, record.value() == null ? 0 : record.value().length, reason(e), Reason.UNREADABLE);
    } catch (Throwable e) { // whatever reading one record throws is that record's alone
      return skip(
          source,
          record.value() == null ? 0 : record.value().length,
          "cannot be read: " + SetAsideRecords.describe(e),
          Reason.FAILED);
    }
  }

  private IngestItem skip(IngestItem.Source source, int size, String reason, Reason why) {
    skipped.incrementAndGet();
    metrics.setAside(why);
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
      } catch (RuntimeException | Error e) {
        // Not the database: a record the code cannot handle (a bug, or a body that overflows a
        // walk). Record by record, the one that throws is set aside and the others are stored.
        if (items.size() == 1 && items.get(0) instanceof IngestItem.Skipped) {
          throw e;
        }
        LOG.warnf(
            "an audit batch of %d cannot be stored (%s); storing record by record",
            items.size(), SetAsideRecords.describe(e));
        storeOneByOne(items);
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
        setAside(item, "cannot be stored: SQL state " + e.getSQLState(), Reason.REFUSED);
      } catch (RuntimeException | Error e) {
        setAside(item, "cannot be handled: " + SetAsideRecords.describe(e), Reason.FAILED);
      }
    }
  }

  /** A record that cannot be stored: its coordinates and the reason go to skipped_records. */
  private void setAside(IngestItem item, String reason, Reason why) throws InterruptedException {
    IngestItem.Source source = item.source();
    if (item instanceof IngestItem.Skipped) {
      LOG.errorf(
          "cannot record skipped record %s-%d@%d (%s)",
          source.topic(), source.partition(), source.offset(), reason);
      return;
    }
    skipped.incrementAndGet();
    metrics.setAside(why);
    LOG.warnf(
        "skipping record %s-%d@%d that %s",
        source.topic(), source.partition(), source.offset(), reason);
    storeWithRetry(List.of(new IngestItem.Skipped(source, reason)));
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
