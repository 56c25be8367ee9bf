package io.provisioninghub.registry.tenants;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.PasswordPolicy;
import io.provisioninghub.contracts.TenantSnapshot.OAuthTrust;
import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
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

/** SQL over {@code tenant_registry.tenants}. Every write bumps the tenant's revision. */
@ApplicationScoped
public class TenantStore {

  private static final String COLUMNS =
      "id, display_name, idp_tenant_id, status, rate_per_second, rate_burst, oauth_issuer,"
          + " oauth_audiences, oauth_jwks_uri, revision, created_at, updated_at, password_policy";

  public void insert(Connection c, TenantRow t) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into tenants ("
                + COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, t.id());
      bindSettings(ps, 2, t);
      ps.setLong(10, t.revision());
      ps.setTimestamp(11, Timestamp.from(t.createdAt()));
      ps.setTimestamp(12, Timestamp.from(t.updatedAt()));
      ps.setString(13, t.passwordPolicy().name());
      ps.executeUpdate();
    }
  }

  /** Writes every setting of {@code t} and bumps the revision. */
  public void update(Connection c, TenantRow t, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update tenants set display_name = ?, idp_tenant_id = ?, status = ?,"
                + " rate_per_second = ?, rate_burst = ?, oauth_issuer = ?, oauth_audiences = ?,"
                + " oauth_jwks_uri = ?, password_policy = ?, revision = revision + 1,"
                + " updated_at = ? where id = ?")) {
      bindSettings(ps, 1, t);
      ps.setString(9, t.passwordPolicy().name());
      ps.setTimestamp(10, Timestamp.from(now));
      ps.setString(11, t.id());
      ps.executeUpdate();
    }
  }

  /** Bumps the revision and locks the row until the transaction ends; false if no such tenant. */
  public boolean touch(Connection c, String id, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update tenants set revision = revision + 1, updated_at = ? where id = ?")) {
      ps.setTimestamp(1, Timestamp.from(now));
      ps.setString(2, id);
      return ps.executeUpdate() == 1;
    }
  }

  public Optional<TenantRow> find(Connection c, String id, boolean lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select " + COLUMNS + " from tenants where id = ?" + (lock ? " for update" : ""))) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  public List<TenantRow> list(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("select " + COLUMNS + " from tenants order by id");
        ResultSet rs = ps.executeQuery()) {
      List<TenantRow> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(read(rs));
      }
      return rows;
    }
  }

  public boolean delete(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("delete from tenants where id = ?")) {
      ps.setString(1, id);
      return ps.executeUpdate() == 1;
    }
  }

  private static void bindSettings(PreparedStatement ps, int first, TenantRow t)
      throws SQLException {
    ps.setString(first, t.displayName());
    ps.setString(first + 1, t.idpTenantId());
    ps.setString(first + 2, t.status().name());
    ps.setInt(first + 3, t.rateLimit().requestsPerSecond());
    ps.setInt(first + 4, t.rateLimit().burst());
    OAuthTrust trust = t.oauthTrust();
    ps.setString(first + 5, trust == null ? null : trust.issuer());
    ps.setString(first + 6, trust == null ? null : json(trust.audiences()));
    ps.setString(first + 7, trust == null ? null : trust.jwksUri());
  }

  private static TenantRow read(ResultSet rs) throws SQLException {
    String issuer = rs.getString("oauth_issuer");
    OAuthTrust trust =
        issuer == null
            ? null
            : new OAuthTrust(
                issuer, audiences(rs.getString("oauth_audiences")), rs.getString("oauth_jwks_uri"));
    return new TenantRow(
        rs.getString("id"),
        rs.getString("display_name"),
        rs.getString("idp_tenant_id"),
        TenantStatus.valueOf(rs.getString("status")),
        new RateLimit(rs.getInt("rate_per_second"), rs.getInt("rate_burst")),
        trust,
        rs.getLong("revision"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant(),
        PasswordPolicy.valueOf(rs.getString("password_policy")));
  }

  private static String json(List<String> values) {
    try {
      return ContractJson.mapper().writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> audiences(String json) {
    if (json == null) {
      return List.of();
    }
    try {
      return ContractJson.mapper().readValue(json, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable audiences column", e);
    }
  }
}
