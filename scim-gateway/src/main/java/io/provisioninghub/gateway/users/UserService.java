package io.provisioninghub.gateway.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.OutcomeStatus;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.gateway.auth.Tenant;
import io.provisioninghub.gateway.command.CommandSender;
import io.provisioninghub.gateway.error.OutcomeException;
import io.provisioninghub.scim.error.ResourceNotFoundException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** The User operations: writes go through Kafka to the processor, reads come from the store. */
@ApplicationScoped
public class UserService {

  private final CommandSender commands;
  private final UserReads reads;

  public UserService(CommandSender commands, UserReads reads) {
    this.commands = commands;
    this.reads = reads;
  }

  /** Creates a user; completes with the stored resource once it is committed. */
  public Uni<Created> create(Tenant tenant, ObjectNode body, String clientRequestId) {
    ObjectNode payload = UserRequests.forCreate(body);
    ProvisioningCommand command =
        new ProvisioningCommand(
            UUID.randomUUID(),
            tenant.id(),
            ResourceType.User,
            UUID.randomUUID().toString(),
            Operation.CREATE,
            payload,
            Instant.now(),
            clientRequestId,
            "scim");
    return commands
        .send(command)
        .map(
            outcome -> {
              requireApplied(outcome);
              return new Created(command.resourceId(), (ObjectNode) outcome.resource());
            });
  }

  public Uni<ObjectNode> get(Tenant tenant, String id) {
    return reads
        .find(tenant, id)
        .map(
            found ->
                found.orElseThrow(
                    () -> new ResourceNotFoundException("no user with id '" + id + "'")));
  }

  private static void requireApplied(ProvisioningOutcome outcome) {
    if (outcome.status() != OutcomeStatus.APPLIED || outcome.resource() == null) {
      throw new OutcomeException(outcome.httpStatus(), outcome.scimType(), outcome.detail());
    }
  }

  /** A created user and its id. */
  public record Created(String id, ObjectNode resource) {}
}
