package io.provisioninghub.registry.changes;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Records each admin change with the principal of the request that made it, on the connection of
 * the change's own transaction, and lists the records. Only SQL of {@code admin_changes} lives
 * here.
 */
@ApplicationScoped
public class AdminChangeLog {

  private final SecurityIdentity identity;

  public AdminChangeLog(SecurityIdentity identity) {
    this.identity = identity;
  }

  /** Records a change inside the caller's transaction; fails it if there is no principal. */
  public void record(Connection c, String action, String tenantId, String target)
      throws SQLException {
    String principal = principal();
    String issuer = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getIssuer() : null;
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into admin_changes (at, principal, issuer, action, tenant_id, target)"
                + " values (?, ?, ?, ?, ?, ?)")) {
      s.setTimestamp(1, Timestamp.from(Instant.now()));
      s.setString(2, principal);
      s.setString(3, issuer);
      s.setString(4, action);
      s.setString(5, tenantId);
      s.setString(6, target);
      s.executeUpdate();
    }
  }

  /**
   * The name of the request's principal, as {@link #record} writes it (upn, preferred_username or
   * sub); fails if there is none.
   */
  public String principal() {
    if (identity == null || identity.isAnonymous() || identity.getPrincipal() == null) {
      throw new IllegalStateException("an admin change without an authenticated principal");
    }
    return identity.getPrincipal().getName();
  }

  /** The principal of changes the registry makes by itself (not on an admin's request). */
  public static final String SYSTEM_PRINCIPAL = "system:tenant-registry";

  /**
   * Records a change the registry made by itself, e.g. completing a tenant deletion once the
   * processor reported the purge; the admin who asked for it is on the earlier record.
   */
  public void recordBySystem(Connection c, String action, String tenantId, String target)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into admin_changes (at, principal, issuer, action, tenant_id, target)"
                + " values (?, ?, null, ?, ?, ?)")) {
      s.setTimestamp(1, Timestamp.from(Instant.now()));
      s.setString(2, SYSTEM_PRINCIPAL);
      s.setString(3, action);
      s.setString(4, tenantId);
      s.setString(5, target);
      s.executeUpdate();
    }
  }

  /** Newest first; {@code tenantId} and {@code beforeId} narrow the list when not null. */
  public List<AdminChange> list(Connection c, String tenantId, Long beforeId, int limit)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select id, at, principal, issuer, action, tenant_id, target from admin_changes"
                + " where (?::text is null or tenant_id = ?) and (?::bigint is null or id < ?)"
                + " order by id desc limit ?")) {
      s.setString(1, tenantId);
      s.setString(2, tenantId);
      s.setObject(3, beforeId);
      s.setObject(4, beforeId);
      s.setInt(5, limit);
      List<AdminChange> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(
              new AdminChange(
                  rs.getLong(1),
                  rs.getTimestamp(2).toInstant(),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7)));
        }
      }
      return out;
    }
  }
}
