package io.provisioninghub.samljit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.samljit.replay.SignInStore;
import io.provisioninghub.support.consumer.SetAsideRecords;
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
 * snapshot on tenants.v1 removes its IdP settings, AuthnRequest ids, replay ids and known users,
 * and no other tenant's, after which its SAML endpoints answer 404; a deletion the registry did not
 * sign, and records nobody can read, remove nothing and do not stop the consumer; a deletion seen
 * again removes nothing more.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(SamlJitTestResource.class)
class TenantDeletionTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<String> TABLES =
      List.of("identity_providers", "authn_requests", "consumed_assertions", "users");
  private static final TestIdp IDP = TestIdp.generate("idp-deletion");

  @Inject MeterRegistry registry;
  @Inject SignInStore store;

  @Test
  void aSignedDeletionRemovesEverythingOfTheTenantAndNothingElse() throws Exception {
    String deleted = SamlJitSupport.newTenant();
    String kept = SamlJitSupport.newTenant();
    configure(deleted);
    configure(kept);
    Map<String, Long> keptBefore = rows(kept);
    assertThat(rows(deleted)).allSatisfy((table, count) -> assertThat(count).isEqualTo(1L));
    assertThat(login(deleted)).isEqualTo(303);

    TenantDeletionRecords.publishSigned(
        TenantDeletionRecords.deleting(deleted, Instant.now().minusSeconds(60)));

    await().atMost(WAIT).until(() -> total(rows(deleted)) == 0);
    assertThat(rows(kept)).isEqualTo(keptBefore);
    assertThat(login(deleted)).isEqualTo(404);
    assertThat(login(kept)).isEqualTo(303);
  }

  @Test
  void aDeletionSeenAgainRemovesNothingMore() throws Exception {
    String tenant = SamlJitSupport.newTenant();
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
    String tenant = SamlJitSupport.newTenant();
    configure(tenant);
    Map<String, Long> before = rows(tenant);
    double badSignatures = setAside("bad_signature");

    int forged =
        TenantDeletionRecords.publishForged(
            TenantDeletionRecords.deleting(tenant, Instant.now().minusSeconds(60)));

    await().atMost(WAIT).until(() -> setAside("bad_signature") >= badSignatures + forged);
    assertThat(rows(tenant)).isEqualTo(before);
    assertThat(login(tenant)).isEqualTo(303);
  }

  @Test
  void unreadableRecordsAndOtherStatusesDoNotStopTheConsumer() throws Exception {
    String tenant = SamlJitSupport.newTenant();
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

  /**
   * An IdP (admin API), an AuthnRequest sent (SP-initiated login), an assertion kept against
   * replay, and a user a sign-in met.
   */
  private void configure(String tenant) throws Exception {
    assertThat(SamlJitSupport.put(tenant, SamlJitSupport.settings("", IDP.pem())).statusCode())
        .isIn(200, 201);
    // The AuthnRequest id is stored when the SP-initiated login redirects to the IdP.
    assertThat(login(tenant)).isEqualTo(303);
    assertThat(store.consume(tenant, "_" + UUID.randomUUID(), Instant.now().plusSeconds(600), null))
        .isEqualTo(SignInStore.Verdict.ACCEPTED);
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s =
            c.prepareStatement(
                "insert into saml_jit.users (tenant_id, user_name_lower, scim_id, created_here)"
                    + " values (?, ?, ?, true)")) {
      s.setString(1, tenant);
      s.setString(2, "adele@" + tenant);
      s.setString(3, UUID.randomUUID().toString());
      s.executeUpdate();
    }
  }

  private static int login(String tenant) {
    return given().redirects().follow(false).get("/saml/" + tenant + "/login").statusCode();
  }

  /** The tenant's row count in each saml_jit table. */
  private static Map<String, Long> rows(String tenant) throws Exception {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection c = Infrastructure.shared().postgres().connect()) {
      for (String table : TABLES) {
        try (PreparedStatement s =
            c.prepareStatement("select count(*) from saml_jit." + table + " where tenant_id = ?")) {
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
