package io.provisioninghub.audit.query;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Writes and reads {@code audit.support_access}. */
@ApplicationScoped
public class AccessRepository {

  private final AgroalDataSource dataSource;

  public AccessRepository(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public void record(
      String subject, String issuer, String tenantId, String action, String query, boolean allowed)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "insert into audit.support_access"
                    + " (at, subject, issuer, tenant_id, action, query, allowed)"
                    + " values (?, ?, ?, ?, ?, ?, ?)")) {
      s.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
      s.setString(2, subject);
      s.setString(3, issuer);
      s.setString(4, tenantId);
      s.setString(5, action);
      s.setString(6, query);
      s.setBoolean(7, allowed);
      s.executeUpdate();
    }
  }

  /** Newest first; each of {@code tenantId}, {@code subject}, {@code beforeId} narrows if set. */
  public List<AccessRecord> list(String tenantId, String subject, Long beforeId, int limit)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select id, at, subject, issuer, tenant_id, action, query, allowed"
                    + " from audit.support_access"
                    + " where (?::text is null or tenant_id = ?)"
                    + " and (?::text is null or subject = ?)"
                    + " and (?::bigint is null or id < ?)"
                    + " order by id desc limit ?")) {
      s.setString(1, tenantId);
      s.setString(2, tenantId);
      s.setString(3, subject);
      s.setString(4, subject);
      s.setObject(5, beforeId);
      s.setObject(6, beforeId);
      s.setInt(7, limit);
      List<AccessRecord> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(
              new AccessRecord(
                  rs.getLong(1),
                  rs.getObject(2, OffsetDateTime.class).toInstant(),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getBoolean(8)));
        }
      }
      return out;
    }
  }
}
