package io.provisioninghub.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.support.consumer.SetAsideRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every service that keeps data per tenant and follows {@code tenants.v1} for deletions must
 * do, against the real broker and database: a DELETING snapshot the registry signed removes every
 * row of that tenant from the service's tables, and no other tenant's; a deletion the registry did
 * not sign, and records nobody can read, remove nothing, are counted ({@code
 * phub_consumer_records_set_aside_total{consumer="tenant-deletions"}}) and do not stop the
 * consumer; a deletion read again removes nothing more, not even a re-created tenant's rows. A
 * service's {@code @QuarkusTest} extends it and says how to store a tenant's data.
 */
public abstract class TenantDeletionContract {

  protected static final Duration WAIT = Duration.ofSeconds(30);

  /** The service's schema, e.g. {@code graph_sync}. */
  protected abstract String schema();

  /** Its tables holding a {@code tenant_id}, each of which {@link #configure} puts a row in. */
  protected abstract List<String> tables();

  /** Stores the tenant's data as the service would: at least one row in every table. */
  protected abstract void configure(String tenant) throws Exception;

  /** The service's meter registry. */
  protected abstract MeterRegistry registry();

  /** More checks once a deletion removed {@code deleted}'s rows and kept {@code kept}'s. */
  protected void afterDeletion(String deleted, String kept) throws Exception {}

  @Test
  void aSignedDeletionRemovesEverythingOfTheTenantAndNothingElse() throws Exception {
    String deleted = newTenant();
    String kept = newTenant();
    configure(deleted);
    configure(kept);
    Map<String, Long> keptBefore = rows(kept);
    assertThat(rows(deleted)).allSatisfy((table, count) -> assertThat(count).isPositive());

    TenantDeletionRecords.publishSigned(
        TenantDeletionRecords.deleting(deleted, Instant.now().minusSeconds(60)));

    await().atMost(WAIT).until(() -> total(rows(deleted)) == 0);
    assertThat(rows(kept)).isEqualTo(keptBefore);
    afterDeletion(deleted, kept);
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

  private Map<String, Long> rows(String tenant) throws Exception {
    return TenantDeletionRecords.rows(schema(), tables(), tenant);
  }

  private static long total(Map<String, Long> rows) {
    return rows.values().stream().mapToLong(Long::longValue).sum();
  }

  private double setAside(String reason) {
    Counter counter =
        registry()
            .find(SetAsideRecords.NAME)
            .tag("consumer", "tenant-deletions")
            .tag("reason", reason)
            .counter();
    return counter == null ? 0 : counter.count();
  }
}
