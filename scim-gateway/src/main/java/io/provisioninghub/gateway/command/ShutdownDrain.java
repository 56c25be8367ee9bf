package io.provisioninghub.gateway.command;

import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.scim.error.ServiceUnavailableException;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Graceful stop of the write path. Quarkus runs its pre-shutdown phase (where {@link
 * ShutdownDelayInitiatedEvent} fires, {@code quarkus.shutdown.delay-enabled=true}) before it waits
 * for in-flight HTTP requests ({@code quarkus.shutdown.timeout}) and long before {@code
 * ShutdownEvent} closes the Kafka channels. At that first point the gateway stops taking SCIM
 * requests (503), keeps the reply consumer running while the writes already waiting for their
 * outcome get it, for at most {@code phub.gateway.shutdown-grace-ms}, then answers every write
 * still waiting with a 503: the change may or may not be applied, and retrying is safe. The HTTP
 * drain then only has to write those answers.
 */
@ApplicationScoped
public class ShutdownDrain {

  private static final Logger LOG = Logger.getLogger(ShutdownDrain.class);

  private final GatewayConfig config;
  private final CompletableFuture<Void> abandoned = new CompletableFuture<>();
  private final Object lock = new Object();
  private volatile boolean draining;
  private int waiting;

  public ShutdownDrain(GatewayConfig config) {
    this.config = config;
  }

  /** True from the start of shutdown on: no new SCIM work is taken. */
  public boolean draining() {
    return draining;
  }

  /**
   * The write's wait for its outcome, counted while it runs, and failed with a 503 if the outcome
   * has not arrived when the shutdown grace ends.
   */
  public <T> Uni<T> track(Uni<T> reply) {
    Uni<T> abandonedByShutdown =
        Uni.createFrom()
            // A copy per write: when the outcome wins, Mutiny cancels the losing stage, and
            // cancelling the shared future itself would fail every later write.
            .completionStage(abandoned::copy)
            .onItem()
            .<T>transform(
                ignored -> {
                  throw new ServiceUnavailableException(
                      "the service is shutting down and the outcome of this change did not arrive"
                          + " in time; it may or may not be applied, and retrying the request is"
                          + " safe",
                      config.retryAfterSeconds(),
                      null);
                });
    return Uni.createFrom()
        .deferred(
            () -> {
              synchronized (lock) {
                waiting++;
              }
              Uni<T> first = Uni.combine().any().of(reply, abandonedByShutdown);
              return first;
            })
        .onTermination()
        .invoke(this::done);
  }

  private void done() {
    synchronized (lock) {
      waiting--;
      lock.notifyAll();
    }
  }

  public void onShutdownStarting(@Observes ShutdownDelayInitiatedEvent event) {
    draining = true;
    long grace = config.shutdownGraceMs();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(grace);
    int atStart;
    int left;
    synchronized (lock) {
      atStart = waiting;
      long remaining;
      while (waiting > 0 && (remaining = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      left = waiting;
    }
    abandoned.complete(null);
    LOG.infof(
        "shutting down: %d writes were waiting for their outcome, %d answered 503 after the %d ms"
            + " grace",
        atStart, left, grace);
  }
}
