package io.provisioninghub.testkit;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Plays the tenant registry deleting a tenant on {@code tenants.v1} of the JVM-wide broker, for the
 * tests of the services that act on a deletion: a DELETING snapshot it signed ({@link
 * SnapshotSigningKeys#shared()}), deletions it did not sign, and records nobody can read; and
 * counts a tenant's rows in the JVM-wide database.
 */
public final class TenantDeletionRecords {

  private TenantDeletionRecords() {}

  /** A snapshot of the tenant (one life, created at {@code createdAt}) asking now for deletion. */
  public static TenantSnapshot deleting(String tenant, Instant createdAt) {
    return deleting(tenant, createdAt, Instant.now());
  }

  /** A snapshot of the tenant asking for deletion, asked at {@code requestedAt}. */
  public static TenantSnapshot deleting(String tenant, Instant createdAt, Instant requestedAt) {
    return snapshot(tenant, TenantStatus.DELETING, createdAt, requestedAt);
  }

  /** A snapshot of the tenant in {@code status}, changed now. */
  public static TenantSnapshot snapshot(String tenant, TenantStatus status, Instant createdAt) {
    return snapshot(tenant, status, createdAt, Instant.now());
  }

  private static TenantSnapshot snapshot(
      String tenant, TenantStatus status, Instant createdAt, Instant updatedAt) {
    return new TenantSnapshot(
        tenant,
        2,
        "Deleted Ltd",
        null,
        status,
        new RateLimit(10, 10),
        null,
        List.of(),
        updatedAt.truncatedTo(ChronoUnit.MICROS),
        createdAt.truncatedTo(ChronoUnit.MICROS));
  }

  /** As the registry publishes it: signed with the key every service of this JVM trusts. */
  public static void publishSigned(TenantSnapshot snapshot) {
    byte[] value = ContractJson.toBytes(snapshot);
    TopicProbe.send(
        bootstrap(),
        Topics.TENANTS,
        snapshot.tenantId(),
        value,
        SnapshotSigningKeys.shared().snapshotHeaders(snapshot.tenantId(), value));
  }

  /**
   * The snapshot as someone who can write the topic but is not the registry would: unsigned, signed
   * by a key nobody trusts, and with the registry's real signature of it under another tenant's
   * key.
   *
   * @return how many records were sent (each must be set aside with reason bad_signature)
   */
  public static int publishForged(TenantSnapshot snapshot) {
    String tenant = snapshot.tenantId();
    byte[] value = ContractJson.toBytes(snapshot);
    TopicProbe.send(bootstrap(), Topics.TENANTS, tenant, value, new RecordHeaders());
    TopicProbe.send(
        bootstrap(),
        Topics.TENANTS,
        tenant,
        value,
        SnapshotSigningKeys.generate(SnapshotSigningKeys.KEY_ID).snapshotHeaders(tenant, value));
    TopicProbe.send(
        bootstrap(),
        Topics.TENANTS,
        tenant,
        value,
        SnapshotSigningKeys.shared().snapshotHeaders("another-tenant", value));
    return 3;
  }

  /** A record under {@code key} that is no tenant snapshot at all (set aside as unreadable). */
  public static void publishUnreadable(String key) {
    TopicProbe.send(
        bootstrap(),
        Topics.TENANTS,
        key,
        "{\"tenantId\": 42, not json".getBytes(StandardCharsets.UTF_8),
        new RecordHeaders());
  }

  /** The tenant's row count in each of {@code tables} of {@code schema}, in their order. */
  public static Map<String, Long> rows(String schema, List<String> tables, String tenant)
      throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection c = Infrastructure.shared().postgres().connect()) {
      for (String table : tables) {
        try (PreparedStatement s =
            c.prepareStatement(
                "select count(*) from " + schema + "." + table + " where tenant_id = ?")) {
          s.setString(1, tenant);
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            counts.put(table, rs.getLong(1));
          }
        }
      }
    }
    return counts;
  }

  private static String bootstrap() {
    return Infrastructure.shared().kafka().bootstrapServers();
  }
}
