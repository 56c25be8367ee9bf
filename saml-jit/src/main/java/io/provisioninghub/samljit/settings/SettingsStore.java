package io.provisioninghub.samljit.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.provisioninghub.samljit.Db;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code saml_jit.identity_providers} table. */
@ApplicationScoped
public class SettingsStore {

  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
  private static final TypeReference<List<IdpSettings.Certificate>> CERTS =
      new TypeReference<>() {};
  private static final TypeReference<LinkedHashMap<String, String>> MAPPING =
      new TypeReference<>() {};

  private final Db db;

  public SettingsStore(Db db) {
    this.db = db;
  }

  public Optional<IdpSettings> find(String tenantId) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select tenant_id, idp_entity_id, sso_url, certificates::text, claim_mapping::text,"
                      + " group_claim, application_url, enabled, created_at, updated_at"
                      + " from saml_jit.identity_providers where tenant_id = ?")) {
            s.setString(1, tenantId);
            try (ResultSet r = s.executeQuery()) {
              if (!r.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new IdpSettings(
                      r.getString(1),
                      r.getString(2),
                      r.getString(3),
                      read(r.getString(4), CERTS),
                      read(r.getString(5), MAPPING),
                      r.getString(6),
                      r.getString(7),
                      r.getBoolean(8),
                      r.getTimestamp(9).toInstant(),
                      r.getTimestamp(10).toInstant()));
            }
          }
        });
  }

  /** Inserts or replaces a tenant's IdP; true if it was new. */
  public boolean put(
      String tenantId,
      String idpEntityId,
      String ssoUrl,
      List<IdpSettings.Certificate> certificates,
      Map<String, String> claimMapping,
      String groupClaim,
      String applicationUrl,
      boolean enabled) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "insert into saml_jit.identity_providers (tenant_id, idp_entity_id, sso_url,"
                      + " certificates, claim_mapping, group_claim, application_url, enabled)"
                      + " values (?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)"
                      + " on conflict (tenant_id) do update set idp_entity_id = excluded.idp_entity_id,"
                      + " sso_url = excluded.sso_url, certificates = excluded.certificates,"
                      + " claim_mapping = excluded.claim_mapping, group_claim = excluded.group_claim,"
                      + " application_url = excluded.application_url, enabled = excluded.enabled,"
                      + " updated_at = now() returning (xmax = 0)")) {
            s.setString(1, tenantId);
            s.setString(2, idpEntityId);
            s.setString(3, ssoUrl);
            s.setString(4, write(certificates));
            s.setString(5, write(claimMapping));
            s.setString(6, groupClaim);
            s.setString(7, applicationUrl);
            s.setBoolean(8, enabled);
            try (ResultSet r = s.executeQuery()) {
              r.next();
              return r.getBoolean(1);
            }
          }
        });
  }

  public boolean delete(String tenantId) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("delete from saml_jit.identity_providers where tenant_id = ?")) {
            s.setString(1, tenantId);
            return s.executeUpdate() == 1;
          }
        });
  }

  private static <T> T read(String json, TypeReference<T> type) throws SQLException {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable JSON column", e);
    }
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
