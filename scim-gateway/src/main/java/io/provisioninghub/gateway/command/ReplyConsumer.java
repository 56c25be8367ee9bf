package io.provisioninghub.gateway.command;

import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.ContractFormatException;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.support.consumer.SetAsideRecords.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads this instance's reply partition of {@code scim.outcomes.v1} (assigned, never shared with a
 * consumer group, from its end at start) and hands each outcome to the write waiting for it. The
 * writer is found by the correlation header the command carried (its command id), else by the
 * outcome's own command id. Records for nobody (other instances' refusals, replies to writes that
 * gave up) are skipped; a record that cannot be read is set aside, counted in {@code
 * phub_consumer_records_set_aside_total{consumer="replies"}}, and its writer, if known, answered
 * 503 (accepted, not confirmed). Never throws, so one record never stops the consumer.
 */
@ApplicationScoped
public class ReplyConsumer {

  private static final Logger LOG = Logger.getLogger(ReplyConsumer.class);

  /** The header the processor copies from the command to its reply (SmallRye's name for it). */
  public static final String CORRELATION_HEADER = "REPLY_CORRELATION_ID";

  private final PendingReplies pending;
  private final SetAsideRecords setAside;

  public ReplyConsumer(PendingReplies pending, MeterRegistry registry) {
    this.pending = pending;
    this.setAside = new SetAsideRecords(registry, CommandSender.REPLIES);
  }

  @Incoming("replies")
  void receive(ConsumerRecord<String, byte[]> record) {
    UUID correlated = correlation(record);
    ProvisioningOutcome outcome;
    try {
      outcome = ContractJson.outcome(record.value());
    } catch (Throwable e) {
      setAside.count(e instanceof ContractFormatException ? Reason.UNREADABLE : Reason.FAILED);
      LOG.warnf(
          "set aside the record %s-%d@%d on the reply partition: %s",
          record.topic(), record.partition(), record.offset(), SetAsideRecords.describe(e));
      if (correlated != null) {
        pending.fail(correlated, new UnreadableReplyException(e));
      }
      return;
    }
    UUID commandId = correlated != null ? correlated : outcome.commandId();
    if (commandId != null && !pending.complete(commandId, outcome)) {
      LOG.debugf("no write waits for the outcome of command %s", commandId);
    }
  }

  private static UUID correlation(ConsumerRecord<String, byte[]> record) {
    Header header = record.headers().lastHeader(CORRELATION_HEADER);
    if (header == null || header.value() == null) {
      return null;
    }
    try {
      return UUID.fromString(new String(header.value(), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** A reply arrived for a waiting write, but it is not an outcome. */
  public static final class UnreadableReplyException extends RuntimeException {
    UnreadableReplyException(Throwable cause) {
      super("the reply cannot be read", cause);
    }
  }
}
