package io.provisioninghub.registry.credentials;

import io.provisioninghub.contracts.TenantSnapshot.CredentialStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL over {@code tenant_registry.credentials}. */
@ApplicationScoped
public class CredentialStore {

  private static final String COLUMNS =
      "id, tenant_id, sha256, status, created_at, expires_at, revoked_at, last_used_at";

  public void insert(Connection c, CredentialRow row) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into credentials (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, row.id());
      ps.setString(2, row.tenantId());
      ps.setString(3, row.sha256());
      ps.setString(4, row.status().name());
      ps.setTimestamp(5, ts(row.createdAt()));
      ps.setTimestamp(6, ts(row.expiresAt()));
      ps.setTimestamp(7, ts(row.revokedAt()));
      ps.setTimestamp(8, ts(row.lastUsedAt()));
      ps.executeUpdate();
    }
  }

  public List<CredentialRow> ofTenant(Connection c, String tenantId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + COLUMNS
                + " from credentials where tenant_id = ? order by created_at, id")) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        List<CredentialRow> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(read(rs));
        }
        return rows;
      }
    }
  }

  public Optional<CredentialRow> find(Connection c, String tenantId, String id)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select " + COLUMNS + " from credentials where tenant_id = ? and id = ?")) {
      ps.setString(1, tenantId);
      ps.setString(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  public void revoke(Connection c, String id, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update credentials set status = 'REVOKED', revoked_at = ?"
                + " where id = ? and status = 'ACTIVE'")) {
      ps.setTimestamp(1, ts(now));
      ps.setString(2, id);
      ps.executeUpdate();
    }
  }

  public void expireAt(Connection c, String id, Instant expiresAt) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("update credentials set expires_at = ? where id = ?")) {
      ps.setTimestamp(1, ts(expiresAt));
      ps.setString(2, id);
      ps.executeUpdate();
    }
  }

  private static CredentialRow read(ResultSet rs) throws SQLException {
    return new CredentialRow(
        rs.getString("id"),
        rs.getString("tenant_id"),
        rs.getString("sha256"),
        CredentialStatus.valueOf(rs.getString("status")),
        instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("expires_at")),
        instant(rs.getTimestamp("revoked_at")),
        instant(rs.getTimestamp("last_used_at")));
  }

  private static Timestamp ts(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  private static Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }
}
