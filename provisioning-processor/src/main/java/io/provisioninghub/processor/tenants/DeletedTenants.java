package io.provisioninghub.processor.tenants;

import io.provisioninghub.contracts.ProvisioningCommand;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
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

  /** What a transaction knows about the deleted lives of its tenants. */
  public record Fence(List<TenantPurge> purges) {

    /** Whether this command belongs to a deleted (or being deleted) tenant. */
    public boolean refuses(ProvisioningCommand command) {
      for (TenantPurge purge : purges) {
        if (!purge.tenantId.equals(command.tenantId())) {
          continue;
        }
        Instant created = command.tenantCreatedAt();
        if (created != null) {
          if (purge.tenantCreatedAt.toInstant().equals(created)) {
            return true;
          }
        } else if ("PURGING".equals(purge.state)
            || !command.receivedAt().isAfter(purge.purgedAt.toInstant())) {
          // A command from before tenants carried their creation time: judged by time.
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Locks the tenants (shared, until the transaction ends) and reads their purges. Must run inside
   * the transaction that applies their commands, before anything is written.
   */
  public Uni<Fence> lock(Collection<String> tenantIds) {
    // A stable order, so two transactions never wait for each other's locks in a circle.
    List<String> ordered = new ArrayList<>(new TreeSet<>(tenantIds));
    Uni<Void> locked = Uni.createFrom().voidItem();
    for (String tenant : ordered) {
      locked =
          locked.chain(
              () ->
                  Panache.getSession()
                      .chain(
                          s ->
                              s.createNativeQuery(
                                      "select 1 from (select pg_advisory_xact_lock_shared("
                                          + LOCK_SPACE
                                          + ", hashtext(:tenant))) l",
                                      Integer.class)
                                  .setParameter("tenant", tenant)
                                  .getSingleResult())
                      .replaceWithVoid());
    }
    // A separate statement after the locks: its snapshot is taken once they are held.
    return locked
        .chain(() -> TenantPurge.<TenantPurge>list("tenantId in ?1", ordered))
        .map(Fence::new);
  }
}
