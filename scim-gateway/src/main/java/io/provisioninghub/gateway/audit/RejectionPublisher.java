package io.provisioninghub.gateway.audit;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.RejectedRequest;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.scim.error.ScimException;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Locale;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes requests refused before any command existed as REJECTED outcomes on {@code
 * scim.outcomes.v1}, so the audit log holds them too. Best effort: the client's error response
 * never waits for it, and a failure to publish is logged, not raised.
 */
@ApplicationScoped
public class RejectionPublisher {

  private static final Logger LOG = Logger.getLogger(RejectionPublisher.class);

  private final MutinyEmitter<byte[]> rejections;

  public RejectionPublisher(@Channel("rejections") MutinyEmitter<byte[]> rejections) {
    this.rejections = rejections;
  }

  public void publish(
      String tenantId, ScimException failure, String method, String path, String clientRequestId) {
    String[] segments = path.split("/");
    ResourceType type = null;
    String id = null;
    for (int i = 0; i < segments.length; i++) {
      if (segments[i].equals("Users") || segments[i].equals("Groups")) {
        type = segments[i].equals("Users") ? ResourceType.User : ResourceType.Group;
        id = i + 1 < segments.length ? segments[i + 1] : null;
      }
    }
    RejectedRequest request =
        new RejectedRequest(
            method, path, type, id, operation(method, id), clientRequestId, Instant.now());
    ProvisioningOutcome outcome =
        ProvisioningOutcome.rejected(
            tenantId,
            failure.status(),
            failure.scimType() == null ? null : failure.scimType().name(),
            failure.detail(),
            request);
    String key =
        tenantId + "/" + (type == null ? "-" : type.name()) + "/" + (id == null ? "-" : id);
    rejections
        .sendMessage(
            Message.of(ContractJson.toBytes(outcome))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build()))
        .subscribe()
        .with(
            done -> {},
            e ->
                LOG.warnf(
                    "could not publish the rejection of a request of tenant %s: %s",
                    tenantId, e.toString()));
  }

  private static Operation operation(String method, String id) {
    return switch (method.toUpperCase(Locale.ROOT)) {
      case "POST" -> id == null ? Operation.CREATE : null;
      case "PUT" -> Operation.REPLACE;
      case "PATCH" -> Operation.PATCH;
      case "DELETE" -> Operation.DELETE;
      default -> null;
    };
  }
}
