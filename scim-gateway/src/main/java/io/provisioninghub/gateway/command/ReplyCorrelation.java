package io.provisioninghub.gateway.command;

import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.support.consumer.SetAsideRecords.Reason;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.reply.CorrelationId;
import io.smallrye.reactive.messaging.kafka.reply.CorrelationIdHandler;
import io.smallrye.reactive.messaging.kafka.reply.StringCorrelationId;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The correlation ids of the request-reply channel: random UUIDs, as the connector's own {@code
 * uuid} handler makes them, but read without ever throwing. The connector reads the header of every
 * record on this instance's reply partition in its reply subscriber; its own handler throws on a
 * header without a value, which ends that subscriber, and from then on no reply reaches any waiting
 * write. Such a record gets an id no request has, so it is ignored, logged and counted in {@code
 * phub_consumer_records_set_aside_total{consumer="replies"}}.
 */
@ApplicationScoped
@Identifier(ReplyCorrelation.ID)
public class ReplyCorrelation implements CorrelationIdHandler {

  /** The name {@code mp.messaging.outgoing.commands.reply.correlation-id.handler} selects. */
  public static final String ID = "phub-replies";

  private static final Logger LOG = Logger.getLogger(ReplyCorrelation.class);

  /** Matches no request: every id this handler generates is a UUID. */
  private static final CorrelationId NONE = new StringCorrelationId("");

  private final SetAsideRecords setAside;

  public ReplyCorrelation(MeterRegistry registry) {
    this.setAside = new SetAsideRecords(registry, CommandSender.REPLIES);
  }

  @Override
  public CorrelationId generate(Message<?> request) {
    return new StringCorrelationId(UUID.randomUUID().toString());
  }

  @Override
  public CorrelationId parse(byte[] bytes) {
    if (bytes == null) {
      setAside.count(Reason.UNREADABLE);
      LOG.warn("set aside a record on the reply partition whose correlation id header is empty");
      return NONE;
    }
    try {
      return StringCorrelationId.fromBytes(bytes);
    } catch (Throwable e) {
      setAside.count(Reason.FAILED);
      LOG.warnf(
          "set aside a record on the reply partition whose correlation id cannot be read: %s",
          SetAsideRecords.describe(e));
      return NONE;
    }
  }
}
