package io.provisioninghub.gateway.command;

import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.scim.error.ServiceUnavailableException;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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

  /** Writes waiting for their outcome; each is answered once, by its outcome or by the drain. */
  private final Set<UniEmitter<?>> waiting = ConcurrentHashMap.newKeySet();

  private volatile boolean draining;

  public ShutdownDrain(GatewayConfig config) {
    this.config = config;
  }

  /** True from the start of shutdown on: no new SCIM work is taken. */
  public boolean draining() {
    return draining;
  }

  /** Writes waiting for their outcome now. */
  int waiting() {
    return waiting.size();
  }

  /**
   * The write's wait for its outcome, counted while it runs, and failed with a 503 if the outcome
   * has not arrived when the shutdown grace ends. Nothing is kept once the write is answered.
   */
  public <T> Uni<T> track(Uni<T> reply) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              waiting.add(emitter);
              Cancellable upstream =
                  reply
                      .subscribe()
                      .with(
                          item -> {
                            if (waiting.remove(emitter)) {
                              emitter.complete(item);
                            }
                          },
                          failure -> {
                            if (waiting.remove(emitter)) {
                              emitter.fail(failure);
                            }
                          });
              emitter.onTermination(
                  () -> {
                    if (waiting.remove(emitter)) {
                      upstream.cancel(); // the client went away: stop waiting for its outcome
                    }
                  });
            });
  }

  public void onShutdownStarting(@Observes ShutdownDelayInitiatedEvent event) {
    draining = true;
    long grace = config.shutdownGraceMs();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(grace);
    int atStart = waiting.size();
    while (!waiting.isEmpty() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    int left = 0;
    for (UniEmitter<?> emitter : List.copyOf(waiting)) {
      if (waiting.remove(emitter)) {
        left++;
        emitter.fail(
            new ServiceUnavailableException(
                "the service is shutting down and the outcome of this change did not arrive in"
                    + " time; it may or may not be applied, and retrying the request is safe",
                config.retryAfterSeconds(),
                null));
      }
    }
    LOG.infof(
        "shutting down: %d writes were waiting for their outcome, %d answered 503 after the %d ms"
            + " grace",
        atStart, left, grace);
  }
}
