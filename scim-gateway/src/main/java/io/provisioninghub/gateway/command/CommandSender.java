package io.provisioninghub.gateway.command;

import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.ContractFormatException;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.gateway.metrics.ReplyWaitMetrics;
import io.provisioninghub.scim.error.ServiceUnavailableException;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.support.consumer.SetAsideRecords.Reason;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReplyTimeoutException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Publishes a command to {@code scim.commands.v1} and waits, bounded, for its outcome on this
 * instance's reply partition. The request-reply channel registers interest in the reply only once
 * the broker has acknowledged the command, so a fast reply can arrive first and be ignored; a write
 * that waits longer than {@code phub.gateway.outcome-recheck} therefore also looks for its outcome
 * where the processor stores it, and answers with that.
 */
@ApplicationScoped
public class CommandSender {

  private static final Logger LOG = Logger.getLogger(CommandSender.class);

  /** The reply consumer's name in {@code phub_consumer_records_set_aside_total}. */
  static final String REPLIES = "replies";

  private final KafkaRequestReply<byte[], byte[]> requestReply;
  private final GatewayConfig config;
  private final ReplyWaitMetrics replyWait;
  private final ShutdownDrain drain;
  private final StoredOutcomes stored;
  private final SetAsideRecords replies;

  public CommandSender(
      @Channel("commands") KafkaRequestReply<byte[], byte[]> requestReply,
      GatewayConfig config,
      ReplyWaitMetrics replyWait,
      ShutdownDrain drain,
      StoredOutcomes stored,
      MeterRegistry registry) {
    this.requestReply = requestReply;
    this.replies = new SetAsideRecords(registry, REPLIES);
    this.stored = stored;
    this.config = config;
    this.replyWait = replyWait;
    this.drain = drain;
  }

  public Uni<ProvisioningOutcome> send(ProvisioningCommand command) {
    if (drain.draining()) {
      return Uni.createFrom()
          .failure(
              new ServiceUnavailableException(
                  "the service is shutting down; nothing was changed",
                  config.retryAfterSeconds(),
                  null));
    }
    MDC.put("commandId", command.commandId().toString());
    LOG.debugf("publishing %s %s command", command.operation(), command.resourceType());
    Message<byte[]> message =
        Message.of(ContractJson.toBytes(command))
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(command.kafkaKey()).build());
    return replyWait.observe(send(message, command));
  }

  private Uni<ProvisioningOutcome> send(Message<byte[]> message, ProvisioningCommand command) {
    Uni<ProvisioningOutcome> reply =
        drain
            .track(requestReply.request(message))
            .onItem()
            .transformToUni(received -> read(received, command));
    return Uni.combine()
        .any()
        .of(reply, storedAfterRecheck(command))
        // A last look in the store before giving up: the reply may be what was lost.
        .onFailure(KafkaRequestReplyTimeoutException.class)
        .recoverWithUni(
            timeout -> storedOutcome(command).map(found -> found.orElseThrow(() -> timeout)))
        .onFailure(KafkaRequestReplyTimeoutException.class)
        .transform(
            e -> {
              LOG.warnf(
                  "no outcome for command %s of tenant %s within %d ms",
                  command.commandId(), command.tenantId(), config.replyTimeoutMs());
              return new ServiceUnavailableException(
                  "the change was accepted but not confirmed in time; it may still be applied,"
                      + " and retrying the request is safe",
                  config.retryAfterSeconds(),
                  e);
            })
        .onFailure(f -> !(f instanceof ServiceUnavailableException))
        .transform(
            e -> {
              LOG.warnf(
                  "cannot publish command %s of tenant %s: %s",
                  command.commandId(), command.tenantId(), e.toString());
              return new ServiceUnavailableException(
                  "provisioning is temporarily unavailable; nothing was changed",
                  config.retryAfterSeconds(),
                  e);
            });
  }

  /**
   * The outcome a reply carries. A reply that cannot be read (whatever reading it throws) is set
   * aside, logged with its coordinates and counted; the processor replies only after its commit, so
   * the write is answered from the store, or else 503 (accepted, not confirmed; retrying is safe)
   * rather than "nothing was changed".
   */
  private Uni<ProvisioningOutcome> read(Message<byte[]> received, ProvisioningCommand command) {
    try {
      return Uni.createFrom().item(ContractJson.outcome(received.getPayload()));
    } catch (Throwable e) {
      replies.count(e instanceof ContractFormatException ? Reason.UNREADABLE : Reason.FAILED);
      var where = received.getMetadata(IncomingKafkaRecordMetadata.class);
      LOG.warnf(
          "set aside the reply %s-%d@%d to command %s of tenant %s: %s",
          where.map(IncomingKafkaRecordMetadata::getTopic).orElse("?"),
          where.map(IncomingKafkaRecordMetadata::getPartition).orElse(-1),
          where.map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L),
          command.commandId(),
          command.tenantId(),
          SetAsideRecords.describe(e));
      return storedOutcome(command)
          .map(
              found ->
                  found.orElseThrow(
                      () ->
                          new ServiceUnavailableException(
                              "the change was accepted but not confirmed; it may still be"
                                  + " applied, and retrying the request is safe",
                              config.retryAfterSeconds(),
                              e)));
    }
  }

  /**
   * One look in the store once the write has waited {@code outcome-recheck}: a reply lost to the
   * request-reply race is stored by then. Never completes when the outcome is not there yet (the
   * reply, or the last look at its timeout, ends the wait).
   */
  private Uni<ProvisioningOutcome> storedAfterRecheck(ProvisioningCommand command) {
    return Uni.createFrom()
        .voidItem()
        .onItem()
        .delayIt()
        .by(config.outcomeRecheck())
        .chain(() -> storedOutcome(command))
        .chain(found -> found.map(Uni.createFrom()::item).orElseGet(Uni.createFrom()::nothing));
  }

  private Uni<Optional<ProvisioningOutcome>> storedOutcome(ProvisioningCommand command) {
    return stored
        .find(command.tenantId(), command.commandId())
        .map(found -> found.map(outcome -> answeredFromStore(command, outcome)));
  }

  private ProvisioningOutcome answeredFromStore(
      ProvisioningCommand command, ProvisioningOutcome outcome) {
    LOG.infof(
        "the reply for command %s of tenant %s did not arrive; answering with its stored outcome",
        command.commandId(), command.tenantId());
    replyWait.answeredFromStore();
    return outcome;
  }

  /** Completes once the reply consumer has its partitions: before that a reply could be missed. */
  public Uni<Void> awaitReplyAssignment() {
    return requestReply.waitForAssignments().replaceWithVoid();
  }
}
