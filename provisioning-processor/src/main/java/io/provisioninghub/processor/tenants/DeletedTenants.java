package io.provisioninghub.processor.tenants;

import io.provisioninghub.contracts.ProvisioningCommand;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Refuses the commands of deleted tenants, inside the transaction that would apply them. Each
 * transaction first takes a shared advisory lock per tenant it touches; {@link TenantPurger} takes
 * the same lock exclusively to mark a tenant as purging. So once the mark is committed, every
 * transaction that could still write the tenant's rows has ended, and every later one sees the
 * mark: the purge cannot miss a row, and no command brings rows back after it.
 */
@ApplicationScoped
public class DeletedTenants {

  /** The advisory-lock namespace of tenant deletion (first key of the two-key form). */
  static final int LOCK_SPACE = 7114;

  private static final String LOCK_SHARED =
      "select pg_advisory_xact_lock_shared(" + LOCK_SPACE + ", hashtext($1))";

  /** What a transaction knows about the deleted lives of its tenants. */
  public record Fence(List<TenantPurge> purges) {

    /** Whether this command belongs to a deleted (or being deleted) tenant. */
    public boolean refuses(ProvisioningCommand command) {
      for (TenantPurge purge : purges) {
        if (!purge.tenantId().equals(command.tenantId())) {
          continue;
        }
        Instant created = command.tenantCreatedAt();
        if (created != null) {
          if (purge.tenantCreatedAt().toInstant().equals(created)) {
            return true;
          }
        } else if ("PURGING".equals(purge.state())
            || !command.receivedAt().isAfter(purge.purgedAt().toInstant())) {
          // A command from before tenants carried their creation time: judged by time.
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Locks the tenants (shared, until the transaction ends) and reads their purges. Must run on the
   * connection of the transaction that applies their commands, before anything is written.
   */
  public Uni<Fence> lock(SqlConnection connection, Collection<String> tenantIds) {
    List<String> ordered = ordered(tenantIds);
    // A batch runs its statements one after the other, in the order of its tuples.
    return connection
        .preparedQuery(LOCK_SHARED)
        .executeBatch(ordered.stream().map(Tuple::of).toList())
        .chain(
            () ->
                connection
                    .preparedQuery(
                        "select tenant_id, tenant_created_at, state, purged_at"
                            + " from scim.tenant_purges where tenant_id = any($1)")
                    .execute(Tuple.of(ordered.toArray(String[]::new))))
        .map(
            rows -> {
              List<TenantPurge> purges = new ArrayList<>();
              for (Row row : rows) {
                purges.add(
                    new TenantPurge(
                        row.getString("tenant_id"),
                        row.getOffsetDateTime("tenant_created_at"),
                        row.getString("state"),
                        row.getOffsetDateTime("purged_at")));
              }
              return new Fence(purges);
            });
  }

  /** A stable order, so two transactions never wait for each other's locks in a circle. */
  private static List<String> ordered(Collection<String> tenantIds) {
    return new ArrayList<>(new TreeSet<>(tenantIds));
  }
}
