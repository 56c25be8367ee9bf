package io.provisioninghub.graphsync.settings;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.graphsync.Db;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code graph_sync.tenants} and {@code graph_sync.rounds} tables: settings, leases (one round
 * per tenant at a time, over every instance) and the record of each round. Every statement names
 * its tenant.
 */
@ApplicationScoped
public class SettingsStore {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS =
      "tenant_id, entra_tenant_id, client_id, client_secret, client_certificate, user_domains,"
          + " group_ids,"
          + " interval_seconds, enabled, users_delta_link, groups_delta_link, next_run_at,"
          + " created_at, updated_at";

  private final Db db;

  public SettingsStore(Db db) {
    this.db = db;
  }

  /**
   * Creates or replaces a tenant's settings. A null secret keeps the stored credential; a new one
   * replaces it with its certificate (null for a client secret). A change of the Entra tenant,
   * client or scope forgets the delta links, so the next round is a full one.
   *
   * @return true when the tenant's settings were created
   */
  public boolean put(
      String tenantId,
      String entraTenantId,
      String clientId,
      byte[] encryptedSecret,
      String clientCertificate,
      List<String> userDomains,
      List<String> groupIds,
      Duration interval,
      boolean enabled) {
    return db.inTransaction(
        c -> {
          Optional<SyncSettings> old = find(c, tenantId, true);
          if (old.isEmpty()) {
            try (PreparedStatement s =
                c.prepareStatement(
                    "insert into graph_sync.tenants (tenant_id, entra_tenant_id, client_id,"
                        + " client_secret, client_certificate, user_domains, group_ids,"
                        + " interval_seconds, enabled) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
              s.setString(1, tenantId);
              s.setString(2, entraTenantId);
              s.setString(3, clientId);
              s.setBytes(4, encryptedSecret);
              s.setString(5, clientCertificate);
              s.setArray(6, c.createArrayOf("text", userDomains.toArray()));
              s.setArray(7, c.createArrayOf("text", groupIds.toArray()));
              s.setLong(8, interval.toSeconds());
              s.setBoolean(9, enabled);
              s.executeUpdate();
            }
            return true;
          }
          SyncSettings before = old.get();
          boolean scopeChanged =
              !before.entraTenantId().equals(entraTenantId)
                  || !before.clientId().equals(clientId)
                  || !before.userDomains().equals(userDomains)
                  || !before.groupIds().equals(groupIds);
          try (PreparedStatement s =
              c.prepareStatement(
                  "update graph_sync.tenants set entra_tenant_id = ?, client_id = ?,"
                      + " client_secret = coalesce(?, client_secret),"
                      + " client_certificate = case when ? then ? else client_certificate end,"
                      + " user_domains = ?, group_ids = ?, interval_seconds = ?, enabled = ?,"
                      + " users_delta_link = case when ? then null else users_delta_link end,"
                      + " groups_delta_link = case when ? then null else groups_delta_link end,"
                      + " updated_at = now() where tenant_id = ?")) {
            s.setString(1, entraTenantId);
            s.setString(2, clientId);
            s.setBytes(3, encryptedSecret);
            s.setBoolean(4, encryptedSecret != null);
            s.setString(5, clientCertificate);
            s.setArray(6, c.createArrayOf("text", userDomains.toArray()));
            s.setArray(7, c.createArrayOf("text", groupIds.toArray()));
            s.setLong(8, interval.toSeconds());
            s.setBoolean(9, enabled);
            s.setBoolean(10, scopeChanged);
            s.setBoolean(11, scopeChanged);
            s.setString(12, tenantId);
            s.executeUpdate();
          }
          return false;
        });
  }

  public Optional<SyncSettings> find(String tenantId) {
    return db.inTransaction(c -> find(c, tenantId, false));
  }

  /** Deletes a tenant's settings with its rounds and object map (the SCIM data stays). */
  public boolean delete(String tenantId) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("delete from graph_sync.tenants where tenant_id = ?")) {
            s.setString(1, tenantId);
            return s.executeUpdate() > 0;
          }
        });
  }

  /** Asks for a round as soon as possible; false when the tenant has no settings. */
  public boolean requestRun(String tenantId) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "update graph_sync.tenants set run_requested = true where tenant_id = ?")) {
            s.setString(1, tenantId);
            return s.executeUpdate() > 0;
          }
        });
  }

  /**
   * Leases up to {@code limit} due tenants (enabled, and asked for or past their next run) whose
   * lease is free or over, for {@code owner}. {@code skip locked}: two instances never claim the
   * same tenant, and neither waits for the other.
   */
  public List<SyncSettings> claimDue(String owner, Duration lease, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return db.inTransaction(
        c -> {
          List<SyncSettings> claimed = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "update graph_sync.tenants t set lease_owner = ?,"
                      + " lease_until = now() + make_interval(secs => ?), run_requested = false"
                      + " where t.tenant_id in (select tenant_id from graph_sync.tenants"
                      + " where enabled and (run_requested or next_run_at <= now())"
                      + " and (lease_until is null or lease_until < now())"
                      + " order by next_run_at limit ? for update skip locked)"
                      + " returning "
                      + prefixed())) {
            s.setString(1, owner);
            s.setDouble(2, lease.toMillis() / 1000.0);
            s.setInt(3, limit);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                claimed.add(settings(rs));
              }
            }
          }
          return claimed;
        });
  }

  /** Extends the lease while a round runs; false when it was lost (another instance took it). */
  public boolean renewLease(String tenantId, String owner, Duration lease) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "update graph_sync.tenants set lease_until = now() + make_interval(secs => ?)"
                      + " where tenant_id = ? and lease_owner = ?")) {
            s.setDouble(1, lease.toMillis() / 1000.0);
            s.setString(2, tenantId);
            s.setString(3, owner);
            return s.executeUpdate() > 0;
          }
        });
  }

  /** Stores the delta link a complete users or groups round ended with (null: forget it). */
  public boolean storeDeltaLink(String tenantId, String owner, boolean users, String link) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "update graph_sync.tenants set "
                      + (users ? "users_delta_link" : "groups_delta_link")
                      + " = ? where tenant_id = ? and lease_owner = ?")) {
            s.setString(1, link);
            s.setString(2, tenantId);
            s.setString(3, owner);
            return s.executeUpdate() > 0;
          }
        });
  }

  /** Ends a round: frees the lease and schedules the next one after the tenant's interval. */
  public void release(String tenantId, String owner) {
    db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "update graph_sync.tenants set lease_owner = null, lease_until = null,"
                      + " next_run_at = now() + make_interval(secs => interval_seconds)"
                      + " where tenant_id = ? and lease_owner = ?")) {
            s.setString(1, tenantId);
            s.setString(2, owner);
            return s.executeUpdate();
          }
        });
  }

  public void roundStarted(String tenantId, UUID roundId, String kind) {
    db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "insert into graph_sync.rounds (tenant_id, round_id, kind, status, started_at)"
                      + " values (?, ?, ?, 'running', now())")) {
            s.setString(1, tenantId);
            s.setObject(2, roundId);
            s.setString(3, kind);
            return s.executeUpdate();
          }
        });
  }

  public void roundEnded(
      String tenantId, UUID roundId, String kind, Map<String, Long> counts, String error) {
    db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "update graph_sync.rounds set status = ?, kind = ?, finished_at = now(),"
                      + " counts = ?::jsonb, error = ? where tenant_id = ? and round_id = ?")) {
            s.setString(1, error == null ? "succeeded" : "failed");
            s.setString(2, kind);
            s.setString(3, JSON.writeValueAsString(counts));
            s.setString(4, error);
            s.setString(5, tenantId);
            s.setObject(6, roundId);
            return s.executeUpdate();
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** The tenant's latest rounds, newest first. */
  public List<RoundView> rounds(String tenantId, int limit) {
    return db.inTransaction(
        c -> {
          List<RoundView> rounds = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "select round_id, kind, status, started_at, finished_at, counts::text, error"
                      + " from graph_sync.rounds where tenant_id = ?"
                      + " order by started_at desc limit ?")) {
            s.setString(1, tenantId);
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                Timestamp finished = rs.getTimestamp(5);
                Map<String, Long> counts;
                try {
                  counts = JSON.readValue(rs.getString(6), new TypeReference<>() {});
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                  throw new IllegalStateException(e);
                }
                rounds.add(
                    new RoundView(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getTimestamp(4).toInstant(),
                        finished == null ? null : finished.toInstant(),
                        counts,
                        rs.getString(7)));
              }
            }
          }
          return rounds;
        });
  }

  /** Whether a round of the tenant runs now, and whether another one was asked for. */
  public record RunState(boolean running, boolean runRequested) {}

  public RunState runState(String tenantId) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select coalesce(lease_until > now(), false), run_requested"
                      + " from graph_sync.tenants where tenant_id = ?")) {
            s.setString(1, tenantId);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next()
                  ? new RunState(rs.getBoolean(1), rs.getBoolean(2))
                  : new RunState(false, false);
            }
          }
        });
  }

  private Optional<SyncSettings> find(Connection c, String tenantId, boolean forUpdate)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select "
                + COLUMNS
                + " from graph_sync.tenants where tenant_id = ?"
                + (forUpdate ? " for update" : ""))) {
      s.setString(1, tenantId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(settings(rs)) : Optional.empty();
      }
    }
  }

  private static String prefixed() {
    return Arrays.stream(COLUMNS.split(",\\s*"))
        .map(col -> "t." + col)
        .reduce((a, b) -> a + ", " + b)
        .orElseThrow();
  }

  private static SyncSettings settings(ResultSet rs) throws SQLException {
    return new SyncSettings(
        rs.getString("tenant_id"),
        rs.getString("entra_tenant_id"),
        rs.getString("client_id"),
        rs.getBytes("client_secret"),
        rs.getString("client_certificate"),
        strings(rs.getArray("user_domains")),
        strings(rs.getArray("group_ids")),
        Duration.ofSeconds(rs.getLong("interval_seconds")),
        rs.getBoolean("enabled"),
        rs.getString("users_delta_link"),
        rs.getString("groups_delta_link"),
        rs.getTimestamp("next_run_at").toInstant(),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }

  private static List<String> strings(Array array) throws SQLException {
    return array == null ? List.of() : List.of((String[]) array.getArray());
  }
}
