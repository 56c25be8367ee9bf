package io.provisioninghub.graphsync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.graphsync.settings.SettingsStore;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.testkit.GraphSimulator;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TenantDeletionRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A tenant deleted in the registry, against the real broker and database: its signed DELETING
 * snapshot on tenants.v1 removes its settings (with the encrypted secret), rounds and objects, and
 * no other tenant's; a deletion the registry did not sign, and records nobody can read, remove
 * nothing and do not stop the consumer; a deletion seen again removes nothing more.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(GraphSyncTestResource.class)
class TenantDeletionTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<String> TABLES = List.of("tenants", "rounds", "objects");

  @Inject MeterRegistry registry;
  @Inject SettingsStore store;

  @Test
  void aSignedDeletionRemovesEverythingOfTheTenantAndNothingElse() throws Exception {
    String deleted = newTenant();
    String kept = newTenant();
    Instant life = Instant.now().minusSeconds(60);
    configure(deleted);
    configure(kept);
    Map<String, Long> keptBefore = rows(kept);
    assertThat(rows(deleted))
        .containsExactlyEntriesOf(Map.of("tenants", 1L, "rounds", 2L, "objects", 3L));
    assertThat(keptBefore).allSatisfy((table, count) -> assertThat(count).isPositive());

    TenantDeletionRecords.publishSigned(TenantDeletionRecords.deleting(deleted, life));

    await().atMost(WAIT).until(() -> total(rows(deleted)) == 0);
    assertThat(rows(kept)).isEqualTo(keptBefore);
    // A round of the deleted tenant still running can neither keep its lease nor record itself.
    assertThat(store.renewLease(deleted, "graph-sync-elsewhere", Duration.ofMinutes(5))).isFalse();
    assertThatThrownBy(() -> store.roundStarted(deleted, UUID.randomUUID(), "full"))
        .isInstanceOf(IllegalStateException.class);
    assertThat(total(rows(deleted))).isZero();
  }

  @Test
  void aDeletionSeenAgainRemovesNothingMore() throws Exception {
    String tenant = newTenant();
    TenantSnapshot deleting =
        TenantDeletionRecords.deleting(tenant, Instant.now().minusSeconds(60));
    configure(tenant);
    TenantDeletionRecords.publishSigned(deleting);
    await().atMost(WAIT).until(() -> total(rows(tenant)) == 0);

    // The id is created again and set up anew; the old deletion, read again, leaves it alone.
    configure(tenant);
    Map<String, Long> secondLife = rows(tenant);
    double unreadable = setAside("unreadable");
    TenantDeletionRecords.publishSigned(deleting);
    // Same key, same partition, read in order: once this one is set aside, the deletion was read.
    TenantDeletionRecords.publishUnreadable(tenant);
    await().atMost(WAIT).until(() -> setAside("unreadable") >= unreadable + 1);
    assertThat(rows(tenant)).isEqualTo(secondLife);
  }

  @Test
  void aDeletionTheRegistryDidNotSignRemovesNothing() throws Exception {
    String tenant = newTenant();
    configure(tenant);
    Map<String, Long> before = rows(tenant);
    double badSignatures = setAside("bad_signature");

    int forged =
        TenantDeletionRecords.publishForged(
            TenantDeletionRecords.deleting(tenant, Instant.now().minusSeconds(60)));

    await().atMost(WAIT).until(() -> setAside("bad_signature") >= badSignatures + forged);
    assertThat(rows(tenant)).isEqualTo(before);
  }

  @Test
  void unreadableRecordsAndOtherStatusesDoNotStopTheConsumer() throws Exception {
    String tenant = newTenant();
    Instant life = Instant.now().minusSeconds(60);
    configure(tenant);
    double unreadable = setAside("unreadable");

    TenantDeletionRecords.publishUnreadable(tenant);
    TenantDeletionRecords.publishSigned(
        TenantDeletionRecords.snapshot(tenant, TenantStatus.SUSPENDED, life));
    TenantDeletionRecords.publishSigned(TenantDeletionRecords.deleting(tenant, life));

    await().atMost(WAIT).until(() -> total(rows(tenant)) == 0);
    assertThat(setAside("unreadable")).isGreaterThanOrEqualTo(unreadable + 1);
  }

  private static String newTenant() {
    return "deleted-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Settings with an encrypted secret (admin API, disabled: no round runs), rounds and objects. */
  private void configure(String tenant) throws Exception {
    int status =
        given()
            .auth()
            .oauth2(GraphSyncTestResource.ADMIN.adminToken())
            .contentType("application/json")
            .body(
                "{\"entraTenantId\":\""
                    + GraphSimulator.TENANT_ID
                    + "\",\"clientId\":\""
                    + GraphSimulator.CLIENT_ID
                    + "\",\"clientSecret\":\"a-secret-of-"
                    + tenant
                    + "\",\"interval\":\"PT1H\",\"enabled\":false}")
            .put("/admin/v1/tenants/" + tenant + "/graph-sync")
            .statusCode();
    assertThat(status).isEqualTo(201);
    store.roundStarted(tenant, UUID.randomUUID(), "full");
    store.roundStarted(tenant, UUID.randomUUID(), "incremental");
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s =
            c.prepareStatement(
                "insert into graph_sync.objects (tenant_id, kind, graph_id, scim_id)"
                    + " values (?, 'U', ?, ?)")) {
      for (int i = 0; i < 3; i++) {
        s.setString(1, tenant);
        s.setString(2, "graph-user-" + i);
        s.setObject(3, UUID.randomUUID());
        s.executeUpdate();
      }
    }
  }

  /** The tenant's row count in each graph_sync table. */
  private static Map<String, Long> rows(String tenant) throws Exception {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection c = Infrastructure.shared().postgres().connect()) {
      for (String table : TABLES) {
        try (PreparedStatement s =
            c.prepareStatement(
                "select count(*) from graph_sync." + table + " where tenant_id = ?")) {
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

  private static long total(Map<String, Long> rows) {
    return rows.values().stream().mapToLong(Long::longValue).sum();
  }

  private double setAside(String reason) {
    Counter counter =
        registry
            .find(SetAsideRecords.NAME)
            .tag("consumer", "tenant-deletions")
            .tag("reason", reason)
            .counter();
    return counter == null ? 0 : counter.count();
  }
}
