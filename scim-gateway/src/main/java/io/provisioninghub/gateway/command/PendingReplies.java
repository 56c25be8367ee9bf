package io.provisioninghub.gateway.command;

import io.provisioninghub.contracts.ProvisioningOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The writes of this instance that wait for their outcome, by command id. A write registers here
 * before its command is sent, so however fast the processor answers, the reply finds its writer.
 */
@ApplicationScoped
public class PendingReplies {

  private final ConcurrentMap<UUID, CompletableFuture<ProvisioningOutcome>> waiting =
      new ConcurrentHashMap<>();

  /** Registers a wait for the outcome of a command; call before the command is sent. */
  public CompletableFuture<ProvisioningOutcome> register(UUID commandId) {
    CompletableFuture<ProvisioningOutcome> reply = new CompletableFuture<>();
    if (waiting.putIfAbsent(commandId, reply) != null) {
      throw new IllegalStateException("command " + commandId + " is already waiting");
    }
    return reply;
  }

  /** The wait as a Uni. */
  public Uni<ProvisioningOutcome> await(CompletableFuture<ProvisioningOutcome> reply) {
    return Uni.createFrom().completionStage(reply);
  }

  /** Forgets a registration however its wait ended (reply, timeout, refusal, cancel). */
  public void forget(UUID commandId, CompletableFuture<ProvisioningOutcome> reply) {
    waiting.remove(commandId, reply);
  }

  /** Hands an outcome to its writer; false when nobody here waits for it (any more). */
  public boolean complete(UUID commandId, ProvisioningOutcome outcome) {
    CompletableFuture<ProvisioningOutcome> reply = waiting.remove(commandId);
    return reply != null && reply.complete(outcome);
  }

  /** Ends a wait with a failure (its reply could not be read); false when nobody waits. */
  public boolean fail(UUID commandId, Throwable failure) {
    CompletableFuture<ProvisioningOutcome> reply = waiting.remove(commandId);
    return reply != null && reply.completeExceptionally(failure);
  }

  /** How many writes wait right now. */
  public int size() {
    return waiting.size();
  }
}
