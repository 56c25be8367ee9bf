package io.provisioninghub.support.tenants;

import io.provisioninghub.contracts.TenantSnapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Removes a deleted tenant's rows from the tables of a service's own schema, once per life of the
 * tenant id: the schema's {@code deleted_tenants} table (tenant_id, tenant_created_at,
 * requested_at; migrated by the service that owns the schema) remembers each deletion handled, so a
 * redelivered deletion removes nothing more, not even the rows of the same id created again
 * afterwards. Plain JDBC on the caller's connection and transaction.
 */
public final class DeletedTenantRows {

  private DeletedTenantRows() {}

  /**
   * Marks the deletion as handled and deletes every row of the tenant from {@code tables}, in their
   * order (children first).
   *
   * @param schema the service's schema, e.g. {@code graph_sync}
   * @param tables its tables holding a {@code tenant_id} column
   * @param deletion the signed DELETING snapshot ({@link TenantDeletions#deletion})
   * @return rows deleted per table; empty when this deletion was handled before
   */
  public static Optional<Map<String, Integer>> remove(
      Connection c, String schema, List<String> tables, TenantSnapshot deletion)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into "
                + schema
                + ".deleted_tenants (tenant_id, tenant_created_at, requested_at)"
                + " values (?, ?, ?) on conflict do nothing")) {
      s.setString(1, deletion.tenantId());
      s.setTimestamp(2, Timestamp.from(deletion.createdAt()));
      s.setTimestamp(3, Timestamp.from(deletion.updatedAt()));
      if (s.executeUpdate() == 0) {
        return Optional.empty();
      }
    }
    Map<String, Integer> removed = new LinkedHashMap<>();
    for (String table : tables) {
      try (PreparedStatement s =
          c.prepareStatement("delete from " + schema + "." + table + " where tenant_id = ?")) {
        s.setString(1, deletion.tenantId());
        removed.put(table, s.executeUpdate());
      }
    }
    return Optional.of(removed);
  }
}
