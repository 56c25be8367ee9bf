package io.provisioninghub.registry.setup;

import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.registry.setup.SetupLinkApi.Redeemed;
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
import java.util.UUID;

/**
 * SQL over {@code tenant_registry.setup_links} (V7). Every time is the database's: the link's
 * status and the redemption are both decided by {@code now()}.
 */
@ApplicationScoped
public class SetupLinkStore {

  private static final String COLUMNS =
      "l.id, l.tenant_id, l.created_at, l.created_by, l.expires_at, l.redeemed_at, l.revoked_at,"
          + " case when l.redeemed_at is not null then 'redeemed'"
          + " when l.revoked_at is not null then 'revoked'"
          + " when l.expires_at <= now() then 'expired' else 'active' end as status";

  /** A link found by its secret's hash, with its tenant's status. */
  public record Lookup(SetupLinkRow link, TenantStatus tenantStatus) {}

  /** Stores a new link created now, valid for {@code minutes}. */
  public SetupLinkRow insert(
      Connection c, UUID id, String tenantId, String sha256, String createdBy, int minutes)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into setup_links as l"
                + " (id, tenant_id, token_sha256, created_at, created_by, expires_at)"
                + " values (?, ?, ?, now(), ?, now() + make_interval(mins => ?))"
                + " returning "
                + COLUMNS)) {
      ps.setObject(1, id);
      ps.setString(2, tenantId);
      ps.setString(3, sha256);
      ps.setString(4, createdBy);
      ps.setInt(5, minutes);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return read(rs);
      }
    }
  }

  /** The tenant's links, newest first. */
  public List<SetupLinkRow> ofTenant(Connection c, String tenantId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + COLUMNS
                + " from setup_links l where l.tenant_id = ? order by l.created_at desc, l.id")) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        List<SetupLinkRow> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(read(rs));
        }
        return rows;
      }
    }
  }

  public Optional<SetupLinkRow> find(Connection c, String tenantId, UUID id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select " + COLUMNS + " from setup_links l where l.tenant_id = ? and l.id = ?")) {
      ps.setString(1, tenantId);
      ps.setObject(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /** Revokes a link not yet redeemed or revoked; a redeemed or revoked one stays as it is. */
  public void revoke(Connection c, UUID id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update setup_links set revoked_at = now()"
                + " where id = ? and redeemed_at is null and revoked_at is null")) {
      ps.setObject(1, id);
      ps.executeUpdate();
    }
  }

  /**
   * Marks the link with this hash redeemed if it is still usable and its tenant active, in one
   * statement: of two concurrent redemptions the second waits for the first's row lock, then finds
   * {@code redeemed_at} set and changes nothing. Empty if nothing was redeemed.
   */
  public Optional<Redeemed> redeem(Connection c, String sha256) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update setup_links l set redeemed_at = now() from tenants t"
                + " where l.token_sha256 = ? and l.redeemed_at is null and l.revoked_at is null"
                + " and l.expires_at > now() and t.id = l.tenant_id and t.status = 'ACTIVE'"
                + " returning l.tenant_id, l.id, t.display_name, l.redeemed_at")) {
      ps.setString(1, sha256);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new Redeemed(
                    rs.getString(1),
                    rs.getObject(2, UUID.class).toString(),
                    rs.getString(3),
                    rs.getTimestamp(4).toInstant()))
            : Optional.empty();
      }
    }
  }

  /** The link with this hash and its tenant's status, to say why a redemption was refused. */
  public Optional<Lookup> findByHash(Connection c, String sha256) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + COLUMNS
                + ", t.status as tenant_status from setup_links l join tenants t"
                + " on t.id = l.tenant_id where l.token_sha256 = ?")) {
      ps.setString(1, sha256);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new Lookup(read(rs), TenantStatus.valueOf(rs.getString("tenant_status"))))
            : Optional.empty();
      }
    }
  }

  private static SetupLinkRow read(ResultSet rs) throws SQLException {
    return new SetupLinkRow(
        rs.getObject("id", UUID.class),
        rs.getString("tenant_id"),
        rs.getString("status"),
        instant(rs.getTimestamp("created_at")),
        rs.getString("created_by"),
        instant(rs.getTimestamp("expires_at")),
        instant(rs.getTimestamp("redeemed_at")),
        instant(rs.getTimestamp("revoked_at")));
  }

  private static Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }
}
