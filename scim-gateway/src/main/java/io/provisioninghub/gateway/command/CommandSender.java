package io.provisioninghub.gateway.command;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.scim.error.ServiceUnavailableException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Publishes a command to {@code scim.commands.v1} and waits, bounded, for its outcome on this
 * instance's reply partition. The wait is registered ({@link PendingReplies}) before the command is
 * sent, so a reply can never arrive before anyone listens for it; {@link ReplyConsumer} hands it
 * over. The command names where to reply in headers the processor copies: the reply topic, this
 * instance's partition, and the command id as correlation id.
 */
@ApplicationScoped
public class CommandSender {

  private static final Logger LOG = Logger.getLogger(CommandSender.class);

  /** The reply consumer's name in {@code phub_consumer_records_set_aside_total}. */
  static final String REPLIES = "replies";

  /** The headers the processor reads to route its reply (SmallRye's request-reply names). */
  static final String REPLY_TOPIC_HEADER = "REPLY_TOPIC";

  static final String REPLY_PARTITION_HEADER = "REPLY_PARTITION";

  private final MutinyEmitter<byte[]> commands;
  private final PendingReplies pending;
  private final GatewayConfig config;
  private final ReplyWaitMetrics replyWait;
  private final ShutdownDrain drain;
  private final KafkaClientService clients;
  private final TopicPartition replyPartition;
  private final byte[] replyTopic;
  private final byte[] replyPartitionHeader;

  public CommandSender(
      @Channel("commands") MutinyEmitter<byte[]> commands,
      PendingReplies pending,
      GatewayConfig config,
      ReplyWaitMetrics replyWait,
      ShutdownDrain drain,
      KafkaClientService clients,
      @ConfigProperty(name = "mp.messaging.incoming.replies.topic") String replyTopic) {
    this.commands = commands;
    this.pending = pending;
    this.config = config;
    this.replyWait = replyWait;
    this.drain = drain;
    this.clients = clients;
    this.replyPartition = new TopicPartition(replyTopic, config.replyPartition());
    this.replyTopic = replyTopic.getBytes(StandardCharsets.UTF_8);
    this.replyPartitionHeader = ByteBuffer.allocate(4).putInt(config.replyPartition()).array();
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
    return replyWait.observe(drain.track(Uni.createFrom().deferred(() -> request(command))));
  }

  private Uni<ProvisioningOutcome> request(ProvisioningCommand command) {
    UUID id = command.commandId();
    RecordHeaders headers = new RecordHeaders();
    headers.add(REPLY_TOPIC_HEADER, replyTopic);
    headers.add(REPLY_PARTITION_HEADER, replyPartitionHeader);
    headers.add(ReplyConsumer.CORRELATION_HEADER, id.toString().getBytes(StandardCharsets.UTF_8));
    Message<byte[]> message =
        Message.of(ContractJson.toBytes(command))
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(command.kafkaKey())
                    .withHeaders(headers)
                    .build());
    return pending
        .exchange(
            id, () -> commands.sendMessage(message).onFailure().transform(e -> refused(command, e)))
        .onFailure(ReplyConsumer.UnreadableReplyException.class)
        .transform(
            e ->
                new ServiceUnavailableException(
                    "the change was accepted but not confirmed; it may still be applied, and"
                        + " retrying the request is safe",
                    config.retryAfterSeconds(),
                    e))
        .ifNoItem()
        .after(Duration.ofMillis(config.replyTimeoutMs()))
        .failWith(
            () -> {
              LOG.warnf(
                  "no outcome for command %s of tenant %s within %d ms",
                  id, command.tenantId(), config.replyTimeoutMs());
              return new ReplyTimeoutException(
                  "the change was accepted but not confirmed in time; it may still be applied,"
                      + " and retrying the request is safe",
                  config.retryAfterSeconds());
            });
  }

  private ServiceUnavailableException refused(ProvisioningCommand command, Throwable e) {
    LOG.warnf(
        "cannot publish command %s of tenant %s: %s",
        command.commandId(), command.tenantId(), e.toString());
    return new ServiceUnavailableException(
        "provisioning is temporarily unavailable; nothing was changed",
        config.retryAfterSeconds(),
        e);
  }

  /**
   * Completes once this instance reads its reply partition from a known position (the end, as it
   * was when the consumer started): a command sent from then on gets its reply.
   */
  public Uni<Set<TopicPartition>> awaitReplyAssignment() {
    return Uni.createFrom()
        .item(() -> clients.<String, byte[]>getConsumer(REPLIES))
        .onItem()
        .ifNull()
        .failWith(() -> new IllegalStateException("the reply consumer is not created yet"))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(50), Duration.ofSeconds(1))
        .atMost(60)
        .chain(
            consumer ->
                consumer.runOnPollingThread(
                    c -> {
                      Set<TopicPartition> assigned = c.assignment();
                      if (!assigned.contains(replyPartition)) {
                        throw new IllegalStateException(
                            "the reply consumer is not assigned " + replyPartition);
                      }
                      c.position(replyPartition); // resolves "latest" now
                      return assigned;
                    }))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(50), Duration.ofSeconds(1))
        .atMost(60);
  }

  /** The write waited {@code phub.gateway.reply-timeout-ms} without an outcome. */
  public static final class ReplyTimeoutException extends ServiceUnavailableException {
    ReplyTimeoutException(String message, long retryAfterSeconds) {
      super(message, retryAfterSeconds, null);
    }
  }
}
