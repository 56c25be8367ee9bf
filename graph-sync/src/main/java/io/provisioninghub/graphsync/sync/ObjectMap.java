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

  /** Graph id → hash of what was last written, for the objects of the kind that have one. */
  public Map<String, String> loadHashes(String tenantId, Kind kind) {
    return db.inTransaction(
        c -> {
          Map<String, String> hashes = new HashMap<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "select graph_id, written_hash from graph_sync.objects"
                      + " where tenant_id = ? and kind = ? and written_hash is not null")) {
            s.setString(1, tenantId);
            s.setString(2, kind.code);
            s.setFetchSize(1000);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                hashes.put(rs.getString(1), rs.getString(2));
              }
            }
          }
          return hashes;
        });
  }

  public void put(String tenantId, Kind kind, String graphId, String scimId, String hash) {
    db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "insert into graph_sync.objects (tenant_id, kind, graph_id, scim_id,"
                      + " written_hash) values (?, ?, ?, ?, ?) on conflict (tenant_id, kind,"
                      + " graph_id) do update set scim_id = excluded.scim_id,"
                      + " written_hash = excluded.written_hash")) {
            s.setString(1, tenantId);
            s.setString(2, kind.code);
            s.setString(3, graphId);
            s.setObject(4, UUID.fromString(scimId));
            s.setString(5, hash);
            return s.executeUpdate();
          }
        });
  }

  /** Records what an object was last written with; null: unknown, write it next time. */
  public void setHash(String tenantId, Kind kind, String graphId, String hash) {
    db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "update graph_sync.objects set written_hash = ?"
                      + " where tenant_id = ? and kind = ? and graph_id = ?")) {
            s.setString(1, hash);
            s.setString(2, tenantId);
            s.setString(3, kind.code);
            s.setString(4, graphId);
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
