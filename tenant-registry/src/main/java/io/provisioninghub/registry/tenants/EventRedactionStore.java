package io.provisioninghub.registry.tenants;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.provisioninghub.contracts.ContractJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** SQL over {@code tenant_registry.tenants.event_redactions} (V6). */
@ApplicationScoped
public class EventRedactionStore {

  public Optional<List<String>> find(Connection c, String tenantId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select event_redactions::text from tenants where id = ?")) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(parse(rs.getString(1))) : Optional.empty();
      }
    }
  }

  /** Replaces the list; the caller holds the row lock and bumps the revision. */
  public void update(Connection c, String tenantId, List<String> attributes) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("update tenants set event_redactions = ?::jsonb where id = ?")) {
      ps.setString(1, ContractJson.mapper().writeValueAsString(attributes));
      ps.setString(2, tenantId);
      ps.executeUpdate();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> parse(String json) {
    try {
      return ContractJson.mapper().readValue(json, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable event_redactions column", e);
    }
  }
}
