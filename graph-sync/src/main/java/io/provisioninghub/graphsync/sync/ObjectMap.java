package io.provisioninghub.graphsync.sync;

import io.provisioninghub.graphsync.Db;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code graph_sync.objects}: which SCIM resource each Graph object of a tenant became, so a round
 * writes by id without a lookup per object. A lost row costs one lookup by externalId.
 */
@ApplicationScoped
public class ObjectMap {

  /** User or group. */
  public enum Kind {
    USER("U"),
    GROUP("G");

    final String code;

    Kind(String code) {
      this.code = code;
    }
  }

  private final Db db;

  public ObjectMap(Db db) {
    this.db = db;
  }

  /** Graph id → SCIM id of every object of the kind the tenant has. */
  public Map<String, String> load(String tenantId, Kind kind) {
    return db.inTransaction(
        c -> {
          Map<String, String> ids = new HashMap<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "select graph_id, scim_id from graph_sync.objects"
                      + " where tenant_id = ? and kind = ?")) {
            s.setString(1, tenantId);
            s.setString(2, kind.code);
            s.setFetchSize(1000);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                ids.put(rs.getString(1), rs.getObject(2, UUID.class).toString());
              }
            }
          }
          return ids;
        });
  }

  public void put(String tenantId, Kind kind, String graphId, String scimId) {
    db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "insert into graph_sync.objects (tenant_id, kind, graph_id, scim_id)"
                      + " values (?, ?, ?, ?) on conflict (tenant_id, kind, graph_id)"
                      + " do update set scim_id = excluded.scim_id")) {
            s.setString(1, tenantId);
            s.setString(2, kind.code);
            s.setString(3, graphId);
            s.setObject(4, UUID.fromString(scimId));
            return s.executeUpdate();
          }
        });
  }

  public void remove(String tenantId, Kind kind, String graphId) {
    db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "delete from graph_sync.objects where tenant_id = ? and kind = ? and graph_id = ?")) {
            s.setString(1, tenantId);
            s.setString(2, kind.code);
            s.setString(3, graphId);
            return s.executeUpdate();
          }
        });
  }
}
