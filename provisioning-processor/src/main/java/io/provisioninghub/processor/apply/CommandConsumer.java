package io.provisioninghub.processor.apply;

import io.micrometer.core.instrument.Timer;
import io.provisioninghub.contracts.ContractFormatException;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.processor.events.EventPublisher;
import io.provisioninghub.processor.metrics.ApplyMetrics;
import io.provisioninghub.processor.metrics.CommandObservation;
import io.provisioninghub.processor.outbox.SentEvents;
import io.provisioninghub.processor.outcome.OutcomePublisher;
import io.provisioninghub.processor.outcome.ReplyRoute;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.support.consumer.SetAsideRecords.Reason;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code scim.commands.v1} in batches (what one poll returned, at most {@code
 * phub.processor.batch-size} records). The readable commands of a batch are applied in their order
 * in one transaction; only after the commit are their outcomes and events published, and only once
 * the broker has all of them is the batch's offset committed. Those sends overlap the next batch's
 * transaction (one batch's sends in flight at most, in the order the batches were applied), so the
 * consumer does not idle while the broker acknowledges. If the batch cannot be applied as a whole
 * (a command is refused, or a uniqueness race), it is applied command by command, each in its own
 * transaction, exactly as a batch of one. A record that cannot be read, or a command that cannot be
 * applied, goes to the dead-letter topic with the reason; the consumer keeps going.
 */
@ApplicationScoped
public class CommandConsumer {

  private static final Logger LOG = Logger.getLogger(CommandConsumer.class);

  private final CommandApplier applier;
  private final OutcomePublisher outcomes;
  private final EventPublisher events;
  private final ProcessorConfig config;
  private final ApplyMetrics metrics;
  private final SentEvents sentEvents;

  /** The sends (and then the offset acknowledgement) of the last batch applied together. */
  private Uni<Void> publishing = Uni.createFrom().voidItem();

  public CommandConsumer(
      CommandApplier applier,
      OutcomePublisher outcomes,
      EventPublisher events,
      ProcessorConfig config,
      ApplyMetrics metrics,
      SentEvents sentEvents) {
    this.applier = applier;
    this.outcomes = outcomes;
    this.events = events;
    this.config = config;
    this.metrics = metrics;
    this.sentEvents = sentEvents;
  }

  /** One readable command of a batch, with where its outcome goes and its observation. */
  private record Received(
      KafkaRecord<String, byte[]> record,
      ProvisioningCommand command,
      ReplyRoute route,
      CommandObservation observation) {}

  /**
   * The boundary of the channel: whatever a batch throws, an {@link Error} such as
   * StackOverflowError included, ends as a nack with an exception that says what happened (the
   * failure strategy sends the records to the dead-letter topic) and never stops the channel.
   */
  @Incoming("commands")
  public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
    try {
      return consumeBatch(batch).onFailure().transform(CommandConsumer::asException);
    } catch (Throwable failure) {
      LOG.errorf(
          "a batch of %d commands failed before it was applied (%s); dead-lettering it",
          batch.getRecords().size(), SetAsideRecords.describe(failure));
      batch.getRecords().forEach(record -> metrics.setAside(Reason.FAILED));
      return Uni.createFrom().completionStage(batch.nack(asException(failure)));
    }
  }

  private Uni<Void> consumeBatch(KafkaRecordBatch<String, byte[]> batch) {
    metrics.batch(batch.getRecords().size());
    List<Received> received = new ArrayList<>();
    Uni<Void> unreadable = Uni.createFrom().voidItem();
    for (KafkaRecord<String, byte[]> record : batch) {
      try {
        ProvisioningCommand command = ContractJson.command(record.getPayload());
        received.add(
            new Received(
                record,
                command,
                ReplyRoute.from(record.getHeaders()),
                metrics.begin(record, command)));
      } catch (Throwable e) { // one record's failure, whatever it is, is that record's alone
        unreadable = unreadable.chain(() -> deadLetterUnreadable(record, e));
      }
    }
    Uni<Void> ack = Uni.createFrom().deferred(() -> Uni.createFrom().completionStage(batch.ack()));
    if (received.size() < 2) {
      // Nothing to gain from overlapping: the previous batch's sends first, then this one inline.
      return unreadable
          .chain(this::previousPublished)
          .chain(() -> received.isEmpty() ? Uni.createFrom().voidItem() : applyOne(received.get(0)))
          .chain(() -> ack);
    }
    List<ProvisioningCommand> commands = received.stream().map(Received::command).toList();
    Timer.Sample transaction = metrics.startStage();
    return unreadable
        .chain(
            () ->
                withRetries(
                    () -> applier.applyAll(commands, i -> received.get(i).observation().enter()),
                    () -> "applying a batch of " + commands.size() + " commands"))
        .onItemOrFailure()
        .transformToUni(
            (applied, failure) -> {
              if (failure == null) {
                metrics.stageDone(transaction, "transaction");
                return previousPublished()
                    .invoke(() -> startPublishing(sendsThenAck(received, applied, ack)));
              }
              LOG.debugf(
                  "a batch of %d commands was not applied together (%s); applying them one by one",
                  commands.size(), failure.toString());
              return previousPublished().chain(() -> oneByOne(received)).chain(() -> ack);
            });
  }

  /**
   * Completes once the sends of the batch before are done (or failed over to the dead-letter
   * topic). A batch's sends start only then, so outcomes and events leave in the order the commands
   * were applied, and at most one batch's sends are in flight. Whatever thread it completes on may
   * go on: a transaction holds its own connection and needs no particular context.
   */
  private synchronized Uni<Void> previousPublished() {
    return publishing.onFailure().recoverWithNull();
  }

  /**
   * The batch is committed in the database; its sends, then its offset, proceed while the consumer
   * applies the next batch. The offset still moves only once the broker has every send.
   */
  private synchronized void startPublishing(Uni<Void> sendsThenAck) {
    publishing = sendsThenAck.memoize().indefinitely();
    publishing
        .subscribe()
        .with(
            done -> {},
            failure -> LOG.errorf(failure, "publishing a batch failed: %s", failure.getMessage()));
  }

  private Uni<Void> sendsThenAck(List<Received> received, List<Applied> applied, Uni<Void> ack) {
    return Uni.createFrom()
        .deferred(
            () -> {
              Timer.Sample sends = metrics.startStage();
              return publishAll(received, applied)
                  .chain(() -> ack)
                  .invoke(() -> metrics.stageDone(sends, "publish"));
            });
  }

  private Uni<Void> publishAll(List<Received> received, List<Applied> applied) {
    List<Uni<Void>> sends = new ArrayList<>(received.size());
    List<UUID> confirmed = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < received.size(); i++) {
      Received one = received.get(i);
      Applied result = applied.get(i);
      one.observation().applied(result.outcome());
      sends.add(
          publish(one, result)
              .invoke(
                  () -> {
                    if (!result.events().isEmpty()) {
                      confirmed.add(one.command().commandId());
                    }
                  })
              .onFailure()
              .invoke(one.observation()::failed)
              .onFailure()
              .recoverWithUni(failure -> deadLetter(one, failure)));
    }
    return Uni.join()
        .all(sends)
        .andCollectFailures()
        .chain(() -> sentEvents.confirmed(List.copyOf(confirmed)));
  }

  private Uni<Void> oneByOne(List<Received> received) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (Received one : received) {
      chain = chain.chain(() -> applyOne(one));
    }
    return chain;
  }

  /** A command in its own transaction: its outcome, or the dead-letter topic. */
  private Uni<Void> applyOne(Received one) {
    ProvisioningCommand command = one.command();
    return withRetries(
            () -> {
              one.observation().enter();
              return applier.apply(command);
            },
            () -> "applying command " + command.commandId())
        .invoke(applied -> one.observation().applied(applied.outcome()))
        .flatMap(
            applied ->
                publish(one, applied)
                    .chain(
                        () ->
                            applied.events().isEmpty()
                                ? Uni.createFrom().voidItem()
                                : sentEvents.confirmed(List.of(command.commandId()))))
        .onFailure()
        .invoke(one.observation()::failed)
        .onFailure()
        .recoverWithUni(failure -> deadLetter(one, failure));
  }

  /**
   * Each attempt is bounded by {@code apply-timeout}; transient failures (database or broker
   * unreachable, a lost serialization race) are retried with backoff; each attempt is a new
   * transaction.
   */
  private <T> Uni<T> withRetries(Supplier<Uni<? extends T>> attempt, Supplier<String> what) {
    return Uni.createFrom()
        .<T>deferred(attempt)
        .ifNoItem()
        .after(config.applyTimeout())
        .failWith(() -> new TimeoutException(what.get() + " took over " + config.applyTimeout()))
        .onFailure(Failures::isTransient)
        .invoke(failure -> metrics.retried())
        .onFailure(Failures::isTransient)
        .retry()
        .withBackOff(config.retry().initialBackoff(), config.retry().maxBackoff())
        .atMost(config.retry().maxAttempts());
  }

  /**
   * The outcome (a client waits for it) and the events are sent together, under the command's trace
   * context; the batch's offset is committed only once the broker has all of them, so none is lost,
   * and retries never drop one.
   */
  private Uni<Void> publish(Received one, Applied applied) {
    Uni<Void> outcome =
        outcomes.publish(
            applied.outcome(), one.record().getKey(), one.route(), one.observation().trace());
    Uni<Void> domainEvents =
        events.publish(
            one.command().commandId(),
            applied.outcome().appliedAt(),
            applied.events(),
            one.observation().trace());
    return Uni.combine()
        .all()
        .unis(outcome, domainEvents)
        .discardItems()
        .onFailure()
        .invoke(
            failure -> {
              // Visible, because the client waiting for this outcome may time out meanwhile.
              metrics.retried();
              LOG.warnf(
                  "publishing the outcome or events of command %s failed, retrying: %s",
                  one.command().commandId(), failure.toString());
            })
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
        .atMost(config.retry().maxAttempts());
  }

  private Uni<Void> deadLetterUnreadable(KafkaRecord<String, byte[]> record, Throwable e) {
    long offset =
        record
            .getMetadata(IncomingKafkaRecordMetadata.class)
            .map(IncomingKafkaRecordMetadata::getOffset)
            .orElse(-1L);
    boolean unreadable = e instanceof ContractFormatException;
    LOG.warnf(
        "dead-lettering %s record %s-%d@%d: %s",
        unreadable ? "unreadable" : "unhandled",
        record.getTopic(),
        record.getPartition(),
        offset,
        SetAsideRecords.describe(e));
    metrics.deadLettered("unreadable");
    metrics.setAside(unreadable ? Reason.UNREADABLE : Reason.FAILED);
    return Uni.createFrom().completionStage(record.nack(asException(e)));
  }

  private Uni<Void> deadLetter(Received one, Throwable failure) {
    ProvisioningCommand command = one.command();
    LOG.errorf(
        failure,
        "dead-lettering command %s of tenant %s (%s %s): %s",
        command.commandId(),
        command.tenantId(),
        command.operation(),
        command.resourceType(),
        SetAsideRecords.describe(failure));
    metrics.setAside(Reason.FAILED);
    return Uni.createFrom().completionStage(one.record().nack(asException(failure)));
  }

  /**
   * What the dead-letter topic's reason header says. An {@link Error} (a StackOverflowError has no
   * message) is wrapped in an exception naming it, so the failure strategy handles it like any
   * other failure and the header is never empty.
   */
  static Exception asException(Throwable failure) {
    if (failure instanceof Exception e) {
      return e;
    }
    return new IllegalStateException(
        "handling the command failed: " + SetAsideRecords.describe(failure), failure);
  }
}
