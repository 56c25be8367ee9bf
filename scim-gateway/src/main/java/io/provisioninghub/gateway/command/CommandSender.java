package io.provisioninghub.gateway.command;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.gateway.metrics.ReplyWaitMetrics;
import io.provisioninghub.scim.error.ServiceUnavailableException;
import io.smallrye.mutiny.Uni;
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

  private final KafkaRequestReply<byte[], byte[]> requestReply;
  private final GatewayConfig config;
  private final ReplyWaitMetrics replyWait;
  private final ShutdownDrain drain;
  private final StoredOutcomes stored;

  public CommandSender(
      @Channel("commands") KafkaRequestReply<byte[], byte[]> requestReply,
      GatewayConfig config,
      ReplyWaitMetrics replyWait,
      ShutdownDrain drain,
      StoredOutcomes stored) {
    this.requestReply = requestReply;
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
            .map(received -> ContractJson.outcome(received.getPayload()));
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
