package io.provisioninghub.gateway.command;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The outcome the processor stored for a command, in the same transaction as the change ({@code
 * scim.processed_commands}): what its reply carried, or would have carried. Read only for a
 * tenant's own command.
 */
@ApplicationScoped
public class StoredOutcomes {

  private static final Logger LOG = Logger.getLogger(StoredOutcomes.class);

  private final Pool pool;

  public StoredOutcomes(Pool pool) {
    this.pool = pool;
  }

  /** The stored outcome, or empty when the command is not applied yet or the store cannot say. */
  public Uni<Optional<ProvisioningOutcome>> find(String tenantId, UUID commandId) {
    return pool.preparedQuery(
            "select outcome::text from scim.processed_commands"
                + " where command_id = $1 and tenant_id = $2")
        .execute(Tuple.of(commandId, tenantId))
        .map(
            rows -> {
              RowIterator<Row> it = rows.iterator();
              return it.hasNext()
                  ? Optional.of(
                      ContractJson.outcome(it.next().getString(0).getBytes(StandardCharsets.UTF_8)))
                  : Optional.<ProvisioningOutcome>empty();
            })
        .onFailure()
        .recoverWithItem(
            failure -> {
              LOG.debugf("cannot read the stored outcome of %s: %s", commandId, failure);
              return Optional.empty();
            });
  }
}
