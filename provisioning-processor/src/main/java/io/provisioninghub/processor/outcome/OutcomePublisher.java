package io.provisioninghub.processor.outcome;

import io.opentelemetry.context.Context;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes outcomes to the reply partition of the gateway that waits for them. */
@ApplicationScoped
public class OutcomePublisher {

  private final MutinyEmitter<byte[]> outcomes;

  public OutcomePublisher(@Channel("outcomes") MutinyEmitter<byte[]> outcomes) {
    this.outcomes = outcomes;
  }

  /**
   * Completes once the broker has the outcome (acks=all). The record carries {@code trace} as its
   * {@code traceparent}.
   */
  public Uni<Void> publish(
      ProvisioningOutcome outcome, String key, ReplyRoute route, Context trace) {
    RecordHeaders headers = new RecordHeaders();
    if (route.correlationId() != null) {
      headers.add(KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER, route.correlationId());
    }
    OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> metadata =
        OutgoingKafkaRecordMetadata.<String>builder()
            .withKey(key)
            .withTopic(route.topic())
            .withHeaders(headers);
    if (route.partition() >= 0) {
      metadata.withPartition(route.partition());
    }
    return outcomes.sendMessage(
        Message.of(ContractJson.toBytes(outcome))
            .addMetadata(metadata.build())
            .addMetadata(TracingMetadata.withCurrent(trace)));
  }
}
