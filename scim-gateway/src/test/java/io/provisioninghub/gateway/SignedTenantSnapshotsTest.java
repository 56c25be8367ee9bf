package io.provisioninghub.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.SnapshotSigningKeys;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Someone who can write to tenants.v1 but does not hold the registry's private key cannot act as a
 * tenant: an unsigned or forged snapshot, however high its revision, is set aside ({@code
 * reason="bad_signature"}) and the tenant keeps working with its real secret; a correctly signed
 * snapshot is applied. Tombstones likewise.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class SignedTenantSnapshotsTest {

  private static final RateLimit GENEROUS = new RateLimit(1000, 1000);
  private static final Duration WAIT = Duration.ofSeconds(10);

  @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
  java.net.URL ready;

  @Inject MeterRegistry registry;

  private final String bootstrap = Infrastructure.shared().kafka().bootstrapServers();

  @BeforeEach
  void gatewayReady() {
    await().atMost(Duration.ofSeconds(60)).until(() -> RestAssured.get(ready).statusCode() == 200);
  }

  @Test
  void aForgedSnapshotWithAHighRevisionIsRefusedAndTheTenantKeepsItsSecret() {
    String tenant = "signed-" + UUID.randomUUID();
    String secret = TestTenants.newSecret();
    TestTenants.onboard(tenant, secret, GENEROUS);

    String attackers = TestTenants.newSecret();
    byte[] forged =
        ContractJson.toBytes(
            TestTenants.snapshot(
                tenant,
                1_000_000,
                TenantStatus.ACTIVE,
                GENEROUS,
                List.of(TestTenants.credential(attackers, null))));
    double before = badSignatures();
    // Unsigned; signed by another key under the trusted key id; the registry's real signature of
    // the same bytes under another tenant's key.
    send(tenant, forged, null);
    send(
        tenant,
        forged,
        SnapshotSigningKeys.generate(SnapshotSigningKeys.KEY_ID).snapshotHeaders(tenant, forged));
    send(tenant, forged, SnapshotSigningKeys.shared().snapshotHeaders("someone-else", forged));

    await().atMost(WAIT).until(() -> badSignatures() >= before + 3);
    assertThat(TestTenants.statusWith(attackers)).as("forged secret").isEqualTo(401);
    assertThat(TestTenants.statusWith(secret)).as("real secret").isEqualTo(404);

    // The registry's next change, at a revision far below the forged one, still applies.
    String rotated = TestTenants.newSecret();
    TestTenants.publish(
        TestTenants.snapshot(
            tenant,
            2,
            TenantStatus.ACTIVE,
            GENEROUS,
            List.of(TestTenants.credential(rotated, null))));
    await().atMost(WAIT).until(() -> TestTenants.statusWith(rotated) == 404);
    assertThat(TestTenants.statusWith(secret)).as("replaced by the signed snapshot").isEqualTo(401);
    assertThat(TestTenants.statusWith(attackers)).isEqualTo(401);
  }

  @Test
  void onlyASignedCurrentTombstoneDeletesATenant() {
    String tenant = "signed-" + UUID.randomUUID();
    String secret = TestTenants.newSecret();
    TestTenants.onboard(tenant, secret, GENEROUS);

    double before = badSignatures();
    double refusedBefore = setAside("refused");
    send(tenant, null, null);
    RecordHeaders replayed = new RecordHeaders();
    SnapshotSigningKeys.shared()
        .signer()
        .tombstoneHeaders(tenant, Instant.now().minus(Duration.ofDays(1)))
        .forEach(replayed::add);
    send(tenant, null, replayed);
    await().atMost(WAIT).until(() -> badSignatures() >= before + 1);
    await().atMost(WAIT).until(() -> setAside("refused") >= refusedBefore + 1);
    assertThat(TestTenants.statusWith(secret)).as("still there").isEqualTo(404);

    TestTenants.publishTombstone(tenant);
    await().atMost(WAIT).until(() -> TestTenants.statusWith(secret) == 401);
  }

  private void send(String key, byte[] value, Headers headers) {
    TopicProbe.send(bootstrap, Topics.TENANTS, key, value, headers);
  }

  private double badSignatures() {
    return setAside("bad_signature");
  }

  private double setAside(String reason) {
    Counter counter =
        registry
            .find(SetAsideRecords.NAME)
            .tag("consumer", "tenant-view")
            .tag("reason", reason)
            .counter();
    return counter == null ? 0 : counter.count();
  }
}
