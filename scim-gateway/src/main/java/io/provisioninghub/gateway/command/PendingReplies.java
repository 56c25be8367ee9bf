package io.provisioninghub.gateway.command;

import io.provisioninghub.contracts.ProvisioningOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The writes of this instance that wait for their outcome, by command id. A write registers here
 * before its command is sent, so however fast the processor answers, the reply finds its writer.
 */
@ApplicationScoped
public class PendingReplies {

  private final ConcurrentMap<UUID, CompletableFuture<ProvisioningOutcome>> waiting =
      new ConcurrentHashMap<>();

  /**
   * Registers a wait for the outcome of a command, then sends it: however fast the reply comes, it
   * finds its writer. Completes with the outcome, or fails when the send fails or the reply cannot
   * be read; never completes otherwise (the caller bounds the wait). The registration is removed
   * however the wait ends, cancellation included.
   */
  public Uni<ProvisioningOutcome> exchange(UUID commandId, Supplier<Uni<Void>> send) {
    return Uni.createFrom()
        .deferred(
            () -> {
              CompletableFuture<ProvisioningOutcome> reply = new CompletableFuture<>();
              if (waiting.putIfAbsent(commandId, reply) != null) {
                return Uni.createFrom()
                    .failure(new IllegalStateException("command " + commandId + " already waits"));
              }
              Uni<ProvisioningOutcome> sent =
                  send.get().onItem().transformToUni(ignored -> Uni.createFrom().nothing());
              return Uni.combine()
                  .any()
                  .of(Uni.createFrom().completionStage(reply), sent)
                  .onTermination()
                  .invoke(() -> waiting.remove(commandId, reply));
            });
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
