package io.provisioninghub.graphsync.tenants;

import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.graphsync.Db;
import io.provisioninghub.support.tenants.DeletedTenantRows;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Removes what graph-sync stores for a tenant deleted in the registry: its object map, its rounds
 * and its settings with the encrypted client secret or certificate key, in one transaction, once
 * per life of the tenant id ({@code graph_sync.deleted_tenants}).
 */
@ApplicationScoped
public class DeletedTenants {

  /** Children first; {@code tenants} holds the settings. */
  static final List<String> TABLES = List.of("objects", "rounds", "tenants");

  private final Db db;

  public DeletedTenants(Db db) {
    this.db = db;
  }

  /** Rows removed per table; empty when this deletion was handled before (a redelivery). */
  public Optional<Map<String, Integer>> remove(TenantSnapshot deletion) {
    return db.inTransaction(
        c -> {
          // The settings row first: a round still running can then add no round or object row
          // (their foreign key needs it), and once it is gone its lease is not renewed, so the
          // round stops at its next check and no later tick claims the tenant.
          try (PreparedStatement s =
              c.prepareStatement(
                  "select 1 from graph_sync.tenants where tenant_id = ? for update")) {
            s.setString(1, deletion.tenantId());
            s.executeQuery().close();
          }
          return DeletedTenantRows.remove(c, "graph_sync", TABLES, deletion);
        });
  }
}
