package io.provisioninghub.registry.tenants;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ExtensionSchema;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** SQL over the extension-schema columns of {@code tenant_registry.tenants} (V5). */
@ApplicationScoped
public class TenantSchemaStore {

  /** What a tenant declared: its schemas and whether it is strict about others. */
  public record Declared(List<ExtensionSchema> schemas, boolean strict) {
    public static final Declared NONE = new Declared(List.of(), false);
  }

  public Optional<Declared> find(Connection c, String tenantId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select extension_schemas::text, strict_extensions from tenants where id = ?")) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Declared(parse(rs.getString(1)), rs.getBoolean(2)));
      }
    }
  }

  /** Writes both columns; the caller holds the row lock and bumps the revision. */
  public void update(Connection c, String tenantId, Declared declared) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update tenants set extension_schemas = ?::jsonb, strict_extensions = ? where id = ?")) {
      ps.setString(1, ContractJson.mapper().writeValueAsString(declared.schemas()));
      ps.setBoolean(2, declared.strict());
      ps.setString(3, tenantId);
      ps.executeUpdate();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<ExtensionSchema> parse(String json) {
    try {
      return ContractJson.mapper().readValue(json, new TypeReference<List<ExtensionSchema>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable extension_schemas column", e);
    }
  }
}
