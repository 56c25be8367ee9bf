package io.provisioninghub.registry.signin;

import io.provisioninghub.registry.signin.ConsoleSignInApi.RequiredClaim;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;

/** SQL over {@code tenant_registry.console_sign_in} (V8). */
@ApplicationScoped
public class ConsoleSignInStore {

  private static final String COLUMNS =
      "tenant_id, issuer, client_id, client_secret_sealed, required_claim_name,"
          + " required_claim_values, created_at, created_by, updated_at, updated_by";

  /**
   * Inserts or replaces the tenant's settings; {@code sealedSecret} null keeps the stored secret
   * (the service makes sure there is one).
   */
  public ConsoleSignInRow upsert(
      Connection c,
      String tenantId,
      String issuer,
      String clientId,
      byte[] sealedSecret,
      RequiredClaim claim,
      String by)
      throws SQLException {
    String sql =
        sealedSecret == null
            ? "update console_sign_in set issuer = ?, client_id = ?, required_claim_name = ?,"
                + " required_claim_values = ?, updated_at = now(), updated_by = ?"
                + " where tenant_id = ? returning "
                + COLUMNS
            : "insert into console_sign_in ("
                + COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, now(), ?, now(), ?)"
                + " on conflict (tenant_id) do update set issuer = excluded.issuer,"
                + " client_id = excluded.client_id,"
                + " client_secret_sealed = excluded.client_secret_sealed,"
                + " required_claim_name = excluded.required_claim_name,"
                + " required_claim_values = excluded.required_claim_values,"
                + " updated_at = now(), updated_by = excluded.updated_by"
                + " returning "
                + COLUMNS;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Array values =
          claim == null ? null : c.createArrayOf("text", claim.values().toArray(new String[0]));
      String claimName = claim == null ? null : claim.name();
      if (sealedSecret == null) {
        ps.setString(1, issuer);
        ps.setString(2, clientId);
        ps.setString(3, claimName);
        ps.setArray(4, values);
        ps.setString(5, by);
        ps.setString(6, tenantId);
      } else {
        ps.setString(1, tenantId);
        ps.setString(2, issuer);
        ps.setString(3, clientId);
        ps.setBytes(4, sealedSecret);
        ps.setString(5, claimName);
        ps.setArray(6, values);
        ps.setString(7, by);
        ps.setString(8, by);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return read(rs);
      }
    }
  }

  public Optional<ConsoleSignInRow> find(Connection c, String tenantId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select " + COLUMNS + " from console_sign_in where tenant_id = ?")) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /** True if there was something to delete. */
  public boolean delete(Connection c, String tenantId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("delete from console_sign_in where tenant_id = ?")) {
      ps.setString(1, tenantId);
      return ps.executeUpdate() > 0;
    }
  }

  private static ConsoleSignInRow read(ResultSet rs) throws SQLException {
    String claimName = rs.getString("required_claim_name");
    Array values = rs.getArray("required_claim_values");
    RequiredClaim claim =
        claimName == null
            ? null
            : new RequiredClaim(claimName, Arrays.asList((String[]) values.getArray()));
    return new ConsoleSignInRow(
        rs.getString("tenant_id"),
        rs.getString("issuer"),
        rs.getString("client_id"),
        rs.getBytes("client_secret_sealed"),
        claim,
        rs.getTimestamp("created_at").toInstant(),
        rs.getString("created_by"),
        rs.getTimestamp("updated_at").toInstant(),
        rs.getString("updated_by"));
  }
}
