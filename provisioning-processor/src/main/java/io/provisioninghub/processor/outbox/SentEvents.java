package io.provisioninghub.processor.outbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The outbox side of {@code scim.processed_commands}: a command's events wait in {@code
 * unsent_events} (written with the change) until the broker has confirmed them, then their payloads
 * are cleared and only their ids stay. A redelivered command republishes what is still unsent. A
 * clear that fails is only logged: the payloads then stay until the retention job removes the row,
 * and a redelivery in between republishes events the consumers have seen (same ids, dropped).
 */
@ApplicationScoped
public class SentEvents {

  private static final Logger LOG = Logger.getLogger(SentEvents.class);

  private final Pool pool;

  public SentEvents(Pool pool) {
    this.pool = pool;
  }

  /** Clears the event payloads of these commands; never fails. */
  public Uni<Void> confirmed(Collection<UUID> commandIds) {
    if (commandIds.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return pool.preparedQuery(
            "update scim.processed_commands set unsent_events = null"
                + " where command_id = any($1) and unsent_events is not null")
        .execute(Tuple.of(commandIds.toArray(UUID[]::new)))
        .replaceWithVoid()
        .onFailure()
        .recoverWithItem(
            failure -> {
              LOG.warnf(
                  "clearing the sent events of %d command(s) failed (they stay until retention):"
                      + " %s",
                  commandIds.size(), failure.toString());
              return null;
            });
  }
}
