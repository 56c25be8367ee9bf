package io.provisioninghub.gateway.command;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Ready only once outcomes can reach this instance (its reply partition is assigned and its start
 * position known), and no longer from the start of shutdown.
 */
@Readiness
@ApplicationScoped
public class ReplyConsumerReadiness implements HealthCheck {

  private static final Logger LOG = Logger.getLogger(ReplyConsumerReadiness.class);

  private final AtomicBoolean assigned = new AtomicBoolean();
  private final ShutdownDrain drain;

  public ReplyConsumerReadiness(ShutdownDrain drain) {
    this.drain = drain;
  }

  void onStart(@Observes StartupEvent event, CommandSender sender) {
    sender
        .awaitReplyAssignment()
        .subscribe()
        .with(
            done -> {
              assigned.set(true);
              LOG.info("reply consumer assigned; ready for writes");
            },
            failure -> LOG.error("reply consumer not assigned", failure));
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("outcome-replies")
        .status(assigned.get() && !drain.draining())
        .build();
  }
}
