package io.provisioninghub.processor.apply;

import io.provisioninghub.contracts.ContractFormatException;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.processor.events.EventPublisher;
import io.provisioninghub.processor.metrics.ApplyMetrics;
import io.provisioninghub.processor.metrics.CommandObservation;
import io.provisioninghub.processor.outcome.OutcomePublisher;
import io.provisioninghub.processor.outcome.ReplyRoute;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code scim.commands.v1}: applies each command once, publishes its outcome, and only
 * then commits the offset. A record that cannot be read or applied goes to the dead-letter topic
 * with the reason (the channel's failure strategy); the consumer keeps going.
 */
@ApplicationScoped
public class CommandConsumer {

  private static final Logger LOG = Logger.getLogger(CommandConsumer.class);

  private final CommandApplier applier;
  private final OutcomePublisher outcomes;
  private final EventPublisher events;
  private final ProcessorConfig config;
  private final ApplyMetrics metrics;

  public CommandConsumer(
      CommandApplier applier,
      OutcomePublisher outcomes,
      EventPublisher events,
      ProcessorConfig config,
      ApplyMetrics metrics) {
    this.applier = applier;
    this.outcomes = outcomes;
    this.events = events;
    this.config = config;
    this.metrics = metrics;
  }

  @Incoming("commands")
  public Uni<Void> consume(KafkaRecord<String, byte[]> record) {
    ProvisioningCommand command;
    try {
      command = ContractJson.command(record.getPayload());
    } catch (ContractFormatException e) {
      long offset =
          record
              .getMetadata(IncomingKafkaRecordMetadata.class)
              .map(IncomingKafkaRecordMetadata::getOffset)
              .orElse(-1L);
      LOG.warnf(
          "dead-lettering unreadable record %s-%d@%d: %s",
          record.getTopic(), record.getPartition(), offset, e.getMessage());
      metrics.deadLettered("unreadable");
      return Uni.createFrom().completionStage(record.nack(e));
    }
    CommandObservation observation = metrics.begin(record, command);
    ReplyRoute route = ReplyRoute.from(record.getHeaders());
    return Uni.createFrom()
        .deferred(() -> applier.apply(command))
        .ifNoItem()
        .after(config.applyTimeout())
        .failWith(
            () ->
                new java.util.concurrent.TimeoutException(
                    "applying command "
                        + command.commandId()
                        + " took over "
                        + config.applyTimeout()))
        .onFailure(Failures::isTransient)
        .invoke(observation::retrying)
        .onFailure(Failures::isTransient)
        .retry()
        .withBackOff(config.retry().initialBackoff(), config.retry().maxBackoff())
        .atMost(config.retry().maxAttempts())
        .invoke(applied -> observation.applied(applied.outcome()))
        .flatMap(applied -> publish(command, applied, record.getKey(), route))
        .flatMap(done -> Uni.createFrom().completionStage(record.ack()))
        .onFailure()
        .invoke(observation::failed)
        .onFailure()
        .recoverWithUni(failure -> deadLetter(record, command, failure));
  }

  /**
   * The outcome (a client waits for it) and the events are sent together; the offset is committed
   * only once the broker has all of them, so none is lost, and retries never drop one.
   */
  private Uni<Void> publish(
      ProvisioningCommand command, Applied applied, String key, ReplyRoute route) {
    Uni<Void> outcome = outcomes.publish(applied.outcome(), key, route);
    Uni<Void> domainEvents =
        events.publish(command.commandId(), applied.outcome().appliedAt(), applied.events());
    return Uni.combine()
        .all()
        .unis(outcome, domainEvents)
        .discardItems()
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
        .atMost(config.retry().maxAttempts());
  }

  private Uni<Void> deadLetter(
      KafkaRecord<String, byte[]> record, ProvisioningCommand command, Throwable failure) {
    LOG.errorf(
        failure,
        "dead-lettering command %s of tenant %s (%s %s): %s",
        command.commandId(),
        command.tenantId(),
        command.operation(),
        command.resourceType(),
        failure.getMessage());
    return Uni.createFrom().completionStage(record.nack(failure));
  }
}
