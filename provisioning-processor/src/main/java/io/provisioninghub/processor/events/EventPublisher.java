package io.provisioninghub.processor.events;

import io.opentelemetry.context.Context;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.events.ProvisioningEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes domain events as CloudEvents (binary mode) on {@code provisioning.events.v1}, keyed
 * {@code tenantId/resourceId}. Event ids derive from the command id, so a redelivered command
 * re-publishes the same ids and consumers can drop the repeat.
 */
@ApplicationScoped
public class EventPublisher {

  private final MutinyEmitter<byte[]> events;

  public EventPublisher(@Channel("events") MutinyEmitter<byte[]> events) {
    this.events = events;
  }

  /** Completes once the broker has every event; each record carries {@code trace}. */
  public Uni<Void> publish(
      UUID commandId, Instant time, List<ProvisioningEvent> batch, Context trace) {
    if (batch.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Multi.createFrom()
        .range(0, batch.size())
        .onItem()
        .transformToUniAndConcatenate(i -> send(eventId(commandId, i), time, batch.get(i), trace))
        .collect()
        .last()
        .replaceWithVoid();
  }

  /** The CloudEvent id of a command's {@code index}-th event: the same on every redelivery. */
  public static String eventId(UUID commandId, int index) {
    return commandId + "-" + index;
  }

  private Uni<Void> send(String id, Instant time, ProvisioningEvent event, Context trace) {
    OutgoingCloudEventMetadata<Object> ce =
        OutgoingCloudEventMetadata.builder()
            .withId(id)
            .withType(event.type())
            .withSource(URI.create("/provisioninghub/tenants/" + event.tenantId()))
            .withSubject(event.resourceId())
            .withDataContentType("application/json")
            .withTimestamp(time.atZone(ZoneOffset.UTC))
            .build();
    return events.sendMessage(
        Message.of(ContractJson.toBytes(event))
            .addMetadata(ce)
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(event.kafkaKey()).build())
            .addMetadata(TracingMetadata.withCurrent(trace)));
  }
}
