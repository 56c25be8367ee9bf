package io.provisioninghub.webhooks.endpoints;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL over {@code webhooks.endpoints}. */
@ApplicationScoped
public class EndpointStore {

  static final String COLUMNS =
      "id, tenant_id, url, event_types, enabled, created_at, updated_at, failing_since,"
          + " disabled_reason, disabled_at, previous_secret_until";

  /** The secrets of an endpoint, still encrypted. */
  public record StoredSecrets(byte[] current, byte[] previous, Instant previousUntil) {}

  public void insert(Connection c, Endpoint e, byte[] secret) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into webhooks.endpoints (id, tenant_id, url, event_types, enabled, secret)"
                + " values (?, ?, ?, ?, ?, ?)")) {
      ps.setObject(1, e.id());
      ps.setString(2, e.tenantId());
      ps.setString(3, e.url());
      ps.setArray(4, c.createArrayOf("text", e.eventTypes().toArray()));
      ps.setBoolean(5, e.enabled());
      ps.setBytes(6, secret);
      ps.executeUpdate();
    }
  }

  public List<Endpoint> list(Connection c, Optional<String> tenant) throws SQLException {
    String sql = "select " + COLUMNS + " from webhooks.endpoints";
    if (tenant.isPresent()) {
      sql += " where tenant_id = ?";
    }
    try (PreparedStatement ps = c.prepareStatement(sql + " order by created_at, id")) {
      if (tenant.isPresent()) {
        ps.setString(1, tenant.get());
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<Endpoint> out = new ArrayList<>();
        while (rs.next()) {
          out.add(endpoint(rs));
        }
        return out;
      }
    }
  }

  public Optional<Endpoint> find(Connection c, UUID id, boolean lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + COLUMNS
                + " from webhooks.endpoints where id = ?"
                + (lock ? " for update" : ""))) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(endpoint(rs)) : Optional.empty();
      }
    }
  }

  public StoredSecrets secrets(Connection c, UUID id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select secret, previous_secret, previous_secret_until from webhooks.endpoints"
                + " where id = ?")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        Timestamp until = rs.getTimestamp(3);
        return new StoredSecrets(
            rs.getBytes(1), rs.getBytes(2), until == null ? null : until.toInstant());
      }
    }
  }

  /** url, event types and enabled; enabling clears an automatic disable. */
  public void update(Connection c, Endpoint e) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update webhooks.endpoints set url = ?, event_types = ?, enabled = ?,"
                + " disabled_reason = case when ? then null else disabled_reason end,"
                + " disabled_at = case when ? then null else disabled_at end,"
                + " failing_since = case when ? then null else failing_since end,"
                + " updated_at = now() where id = ?")) {
      ps.setString(1, e.url());
      ps.setArray(2, c.createArrayOf("text", e.eventTypes().toArray()));
      ps.setBoolean(3, e.enabled());
      ps.setBoolean(4, e.enabled());
      ps.setBoolean(5, e.enabled());
      ps.setBoolean(6, e.enabled());
      ps.setObject(7, e.id());
      ps.executeUpdate();
    }
  }

  public void rotate(Connection c, UUID id, byte[] secret, Instant previousUntil)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update webhooks.endpoints set previous_secret = secret, previous_secret_until = ?,"
                + " secret = ?, updated_at = now() where id = ?")) {
      ps.setTimestamp(1, Timestamp.from(previousUntil));
      ps.setBytes(2, secret);
      ps.setObject(3, id);
      ps.executeUpdate();
    }
  }

  public boolean delete(Connection c, UUID id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("delete from webhooks.endpoints where id = ?")) {
      ps.setObject(1, id);
      return ps.executeUpdate() == 1;
    }
  }

  static Endpoint endpoint(ResultSet rs) throws SQLException {
    Array types = rs.getArray("event_types");
    return new Endpoint(
        rs.getObject("id", UUID.class),
        rs.getString("tenant_id"),
        rs.getString("url"),
        types == null ? List.of() : Arrays.asList((String[]) types.getArray()),
        rs.getBoolean("enabled"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "failing_since"),
        rs.getString("disabled_reason"),
        instant(rs, "disabled_at"),
        instant(rs, "previous_secret_until"),
        null);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
