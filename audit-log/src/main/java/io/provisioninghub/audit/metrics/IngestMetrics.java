package io.provisioninghub.audit.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.support.metrics.KafkaConsumerLag;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * The audit log's ingestion meters: {@code phub_audit_records_ingested_total{topic}}, {@code
 * phub_audit_ingest_failures_total} (records skipped as unreadable or unstorable, and records of
 * batches that could not be stored at all) and {@code phub_audit_ingest_lag_seconds}: now minus the
 * Kafka timestamp of the newest record stored, or 0 while caught up (nothing in flight and no
 * consumer lag) — so an idle log does not look late, and a stuck one keeps growing.
 */
@Singleton
public class IngestMetrics {

  static final String GROUP = "audit-log";

  private final MeterRegistry registry;
  private final KafkaConsumerLag consumerLag;
  private final Clock clock = Clock.systemUTC();
  private final Counter failures;
  private final AtomicLong newestStored = new AtomicLong(-1);
  private final AtomicBoolean inFlight = new AtomicBoolean();
  private final SetAsideRecords setAside;

  public IngestMetrics(MeterRegistry registry, KafkaConsumerLag consumerLag) {
    this.registry = registry;
    this.consumerLag = consumerLag;
    this.failures =
        Counter.builder("phub.audit.ingest.failures")
            .description("Records the audit log could not store (skipped or failed batches)")
            .register(registry);
    Gauge.builder("phub.audit.ingest.lag", this, IngestMetrics::lagSeconds)
        .description("Now minus the Kafka timestamp of the newest stored record; 0 when caught up")
        .baseUnit("seconds")
        .register(registry);
    this.setAside = new SetAsideRecords(registry, "audit-log");
  }

  /** A record was set aside into {@code audit.skipped_records}. */
  public void setAside(SetAsideRecords.Reason reason) {
    setAside.count(reason);
  }

  /** A batch was polled and is being stored. */
  public void storing() {
    inFlight.set(true);
  }

  /** The batch is stored; {@code skipped} of its records could not be and were recorded aside. */
  public void stored(ConsumerRecords<?, ?> records, long skipped) {
    long newest = -1;
    for (ConsumerRecord<?, ?> record : records) {
      Counter.builder("phub.audit.records.ingested")
          .description("Records consumed and stored by the audit log, by topic")
          .tag("topic", record.topic())
          .register(registry)
          .increment();
      newest = Math.max(newest, record.timestamp());
    }
    if (skipped > 0) {
      failures.increment(skipped);
    }
    long stored = newest;
    newestStored.accumulateAndGet(stored, Math::max);
    inFlight.set(false);
  }

  /** The batch could not be stored after all retries; the channel stops. */
  public void failed(int records) {
    failures.increment(records);
    inFlight.set(false);
  }

  double lagSeconds() {
    long newest = newestStored.get();
    if (newest < 0 || (!inFlight.get() && consumerLag.lag(GROUP) == 0)) {
      return 0;
    }
    return Math.max(0, clock.millis() - newest) / 1000.0;
  }
}
