package io.provisioninghub.processor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The processor's meters: {@code phub_processor_apply_seconds{operation, resource, result}}, {@code
 * phub_processor_end_to_end_seconds{operation, resource}}, {@code
 * phub_processor_duplicates_skipped_total}, {@code phub_processor_dlq_records_total{reason}},
 * {@code phub_processor_transient_retries_total}, {@code phub_processor_batch_records} and {@code
 * phub_consumer_records_set_aside_total{consumer="processor"}} (records dead-lettered). Hands out
 * one {@link CommandObservation} per command, which also sets the command's logging and trace
 * context.
 */
@Singleton
public class ApplyMetrics {

  public static final String APPLY = "phub.processor.apply";
  public static final String END_TO_END = "phub.processor.end.to.end";
  public static final String DUPLICATES = "phub.processor.duplicates.skipped";
  public static final String DLQ = "phub.processor.dlq.records";
  public static final String RETRIES = "phub.processor.transient.retries";
  public static final String BATCH = "phub.processor.batch.records";
  public static final String BATCH_STAGE = "phub.processor.batch.stage";

  /** Reads the W3C trace context from a record's headers. */
  private static final TextMapGetter<Headers> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
          return StreamSupport.stream(headers.spliterator(), false).map(Header::key).toList();
        }

        @Override
        public String get(Headers headers, String key) {
          Header header = headers == null ? null : headers.lastHeader(key);
          return header == null || header.value() == null
              ? null
              : new String(header.value(), StandardCharsets.UTF_8);
        }
      };

  private final MeterRegistry registry;
  private final OpenTelemetry openTelemetry;
  private final Tracer tracer;
  private final Counter duplicates;
  private final Counter retries;
  private final DistributionSummary batches;
  private final Set<UUID> seenBefore = ConcurrentHashMap.newKeySet();
  private final SetAsideRecords setAside;

  public ApplyMetrics(MeterRegistry registry, OpenTelemetry openTelemetry) {
    this.registry = registry;
    this.openTelemetry = openTelemetry;
    this.tracer = openTelemetry.getTracer("io.provisioninghub.processor");
    this.duplicates =
        Counter.builder(DUPLICATES)
            .description("Redelivered commands answered from processed_commands, not re-applied")
            .register(registry);
    this.retries =
        Counter.builder(RETRIES)
            .description("Transient failures of an apply that were retried")
            .register(registry);
    this.batches =
        DistributionSummary.builder(BATCH)
            .description("Records per batch taken from scim.commands.v1 (one poll)")
            .register(registry);
    for (String reason : new String[] {"unreadable", "permanent_failure"}) {
      dlqCounter(reason);
    }
    this.setAside = new SetAsideRecords(registry, "processor");
  }

  /**
   * Starts observing a command: logging context (tenant, command, request id), a span under the
   * command record's trace (from the connector's tracing metadata, or else from the record's {@code
   * traceparent} header, as for the records of a batch), made current for the rest of the command's
   * processing.
   */
  public CommandObservation begin(KafkaRecord<?, ?> record, ProvisioningCommand command) {
    Context parent =
        record
            .getMetadata(TracingMetadata.class)
            .map(TracingMetadata::getCurrentContext)
            .orElseGet(
                () ->
                    openTelemetry
                        .getPropagators()
                        .getTextMapPropagator()
                        .extract(Context.root(), record.getHeaders(), HEADERS));
    Span span =
        tracer
            .spanBuilder("apply " + command.operation() + " " + command.resourceType())
            .setParent(parent)
            .startSpan();
    return new CommandObservation(this, command, span, parent.with(span));
  }

  /** Starts timing a stage of a batch: its transaction, or the sends after its commit. */
  public Timer.Sample startStage() {
    return Timer.start(registry);
  }

  /**
   * A batch's stage ended: {@code transaction} (applied together and committed, retries included)
   * or {@code publish} (every outcome and event acknowledged by the broker, then the offset).
   */
  public void stageDone(Timer.Sample sample, String stage) {
    sample.stop(
        Timer.builder(BATCH_STAGE)
            .description("Time a batch applied together spends in each stage")
            .tag("stage", stage)
            .register(registry));
  }

  /** A batch of this many records was taken from the commands topic. */
  public void batch(int records) {
    batches.record(records);
  }

  /** The applier answered a redelivered command from its stored outcome. */
  public void duplicate(UUID commandId) {
    duplicates.increment();
    seenBefore.add(commandId);
  }

  boolean wasDuplicate(UUID commandId) {
    return seenBefore.remove(commandId);
  }

  public void deadLettered(String reason) {
    dlqCounter(reason).increment();
  }

  /** A record went to the dead-letter topic: {@code phub_consumer_records_set_aside_total}. */
  public void setAside(SetAsideRecords.Reason reason) {
    setAside.count(reason);
  }

  public void retried() {
    retries.increment();
  }

  Timer applyTimer(ProvisioningCommand command, String result) {
    return Timer.builder(APPLY)
        .description("Time to apply a command in its transaction, retries included")
        .tag("operation", operation(command))
        .tag("resource", command.resourceType().name())
        .tag("source", source(command))
        .tag("result", result)
        .register(registry);
  }

  Timer endToEndTimer(ProvisioningCommand command) {
    return Timer.builder(END_TO_END)
        .description("From the gateway's receipt of the request to the processor's commit")
        .tag("operation", operation(command))
        .tag("resource", command.resourceType().name())
        .tag("source", source(command))
        .register(registry);
  }

  private Counter dlqCounter(String reason) {
    return Counter.builder(DLQ)
        .description("Commands sent to scim.commands.dlq.v1, by reason")
        .tag("reason", reason)
        .register(registry);
  }

  /**
   * The provisioning path (ADR 0022): {@code scim}, {@code graph} or {@code saml-jit}; any other
   * value (the gateway accepts only configured ones) is {@code other}, so the label stays bounded.
   */
  static String source(ProvisioningCommand command) {
    String source = command.source();
    if (source == null || source.isEmpty()) {
      return "scim";
    }
    return switch (source) {
      case "scim", "graph", "saml-jit" -> source;
      default -> "other";
    };
  }

  private static String operation(ProvisioningCommand command) {
    return command.operation().name().toLowerCase(java.util.Locale.ROOT);
  }
}
