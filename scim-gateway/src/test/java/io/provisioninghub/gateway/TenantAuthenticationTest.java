package io.provisioninghub.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.TenantSnapshot.CredentialState;
import io.provisioninghub.contracts.TenantSnapshot.CredentialStatus;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Authentication and rate limits from the tenant view, fed over the real broker: changes made by
 * the registry take effect within 2 seconds, with no call per request.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class TenantAuthenticationTest {

  // Health is served on the management port, not on the SCIM port.
  @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
  java.net.URL ready;

  @jakarta.inject.Inject io.micrometer.core.instrument.MeterRegistry registry;

  static final RateLimit GENEROUS = new RateLimit(1000, 1000);
  static final Duration PROPAGATION = Duration.ofSeconds(2);

  @BeforeEach
  void awaitReady() {
    await().atMost(Duration.ofSeconds(60)).until(() -> RestAssured.get(ready).statusCode() == 200);
  }

  @Test
  void revokedCredentialIsRefusedWithinTwoSeconds() {
    String tenant = uniqueTenant();
    String secret = TestTenants.newSecret();
    CredentialState credential = TestTenants.credential(secret, null);
    TestTenants.publish(
        TestTenants.snapshot(tenant, 1, TenantStatus.ACTIVE, GENEROUS, List.of(credential)));
    await().atMost(Duration.ofSeconds(10)).until(() -> TestTenants.statusWith(secret) == 404);

    CredentialState revoked =
        new CredentialState(
            credential.id(),
            credential.sha256(),
            CredentialStatus.REVOKED,
            credential.createdAt(),
            null);
    TestTenants.publish(
        TestTenants.snapshot(tenant, 2, TenantStatus.ACTIVE, GENEROUS, List.of(revoked)));

    await().atMost(PROPAGATION).until(() -> TestTenants.statusWith(secret) == 401);
  }

  @Test
  void suspendedTenantIsRefusedWithinTwoSecondsAndResumed() {
    String tenant = uniqueTenant();
    String secret = TestTenants.newSecret();
    List<CredentialState> credentials = List.of(TestTenants.credential(secret, null));
    TestTenants.publish(
        TestTenants.snapshot(tenant, 1, TenantStatus.ACTIVE, GENEROUS, credentials));
    await().atMost(Duration.ofSeconds(10)).until(() -> TestTenants.statusWith(secret) == 404);

    TestTenants.publish(
        TestTenants.snapshot(tenant, 2, TenantStatus.SUSPENDED, GENEROUS, credentials));
    await().atMost(PROPAGATION).until(() -> TestTenants.statusWith(secret) == 403);
    given()
        .auth()
        .oauth2(secret)
        .get("/scim/v2/Users/" + UUID.randomUUID())
        .then()
        .statusCode(403)
        .contentType(startsWith("application/scim+json"))
        .body("status", equalTo("403"));
    awaitRejection(tenant, 403);

    TestTenants.publish(
        TestTenants.snapshot(tenant, 3, TenantStatus.ACTIVE, GENEROUS, credentials));
    await().atMost(PROPAGATION).until(() -> TestTenants.statusWith(secret) == 404);
  }

  @Test
  void expiredCredentialIsRefusedAndRotationKeepsBothUntilThen() {
    String tenant = uniqueTenant();
    String old = TestTenants.newSecret();
    String successor = TestTenants.newSecret();
    Instant oldExpiry = Instant.now().plusSeconds(3);
    TestTenants.publish(
        TestTenants.snapshot(
            tenant,
            1,
            TenantStatus.ACTIVE,
            GENEROUS,
            List.of(
                TestTenants.credential(old, oldExpiry), TestTenants.credential(successor, null))));
    await().atMost(Duration.ofSeconds(10)).until(() -> TestTenants.statusWith(successor) == 404);
    assertThat(Instant.now()).isBefore(oldExpiry);
    assertThat(TestTenants.statusWith(old)).isEqualTo(404);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Instant.now().isAfter(oldExpiry) && TestTenants.statusWith(old) == 401);
    assertThat(TestTenants.statusWith(successor)).isEqualTo(404);
  }

  @Test
  void useOfACredentialIsReportedWithoutItsSecret() {
    String tenant = uniqueTenant();
    String secret = TestTenants.newSecret();
    CredentialState credential = TestTenants.credential(secret, null);
    try (TopicProbe usage =
        TopicProbe.open(
            Infrastructure.shared().kafka().bootstrapServers(), Topics.CREDENTIAL_USAGE)) {
      TestTenants.publish(
          TestTenants.snapshot(tenant, 1, TenantStatus.ACTIVE, GENEROUS, List.of(credential)));
      await().atMost(Duration.ofSeconds(10)).until(() -> TestTenants.statusWith(secret) == 404);

      var record =
          usage.awaitOne(
              r -> (tenant + "/" + credential.id()).equals(r.key()), Duration.ofSeconds(10));
      var reported = io.provisioninghub.contracts.ContractJson.usage(record.value());
      assertThat(reported.credentialId()).isEqualTo(credential.id());
      assertThat(reported.lastUsedAt()).isBefore(Instant.now().plusSeconds(1));
      assertThat(new String(record.value()))
          .doesNotContain(secret)
          .doesNotContain(credential.sha256());
    }
  }

  @Test
  void deletedTenantIsRefusedWithinTwoSeconds() {
    String tenant = uniqueTenant();
    String secret = TestTenants.newSecret();
    TestTenants.onboard(tenant, secret, GENEROUS);

    TestTenants.publishTombstone(tenant);

    await().atMost(PROPAGATION).until(() -> TestTenants.statusWith(secret) == 401);
  }

  @Test
  void tenantOverItsLimitGets429WithRetryAfterAndNothingIsPublished() {
    String tenant = uniqueTenant();
    String other = uniqueTenant();
    String secret = TestTenants.newSecret();
    String otherSecret = TestTenants.newSecret();
    TestTenants.onboard(other, otherSecret, new RateLimit(1, 3));
    // 1 request/s, burst 3: onboarding used one token.
    TestTenants.onboard(tenant, secret, new RateLimit(1, 3));
    String marker = "limited-" + UUID.randomUUID();
    int limited = 0;
    for (int i = 0; i < 5; i++) {
      int status =
          given()
              .auth()
              .oauth2(secret)
              .contentType("application/scim+json")
              .body(
                  "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
                      + marker
                      + "\"")
              .post("/scim/v2/Users")
              .statusCode();
      if (status == 429) {
        limited++;
      } else {
        assertThat(status).as("under the limit, the broken body is refused").isEqualTo(400);
      }
    }
    assertThat(limited).isGreaterThanOrEqualTo(2);
    given()
        .auth()
        .oauth2(secret)
        .contentType("application/scim+json")
        .body(
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
                + marker
                + "@contoso.com\"}")
        .post("/scim/v2/Users")
        .then()
        .statusCode(429)
        .header("Retry-After", equalTo("1"))
        .contentType(startsWith("application/scim+json"))
        .body("schemas[0]", equalTo("urn:ietf:params:scim:api:messages:2.0:Error"))
        .body("status", equalTo("429"));
    assertThat(TestTenants.statusWith(otherSecret)).as("other tenant's bucket").isEqualTo(404);
    awaitRejection(tenant, 429);

    try (TopicProbe commands =
        TopicProbe.open(Infrastructure.shared().kafka().bootstrapServers(), Topics.COMMANDS)) {
      String fence = "fence-" + UUID.randomUUID();
      TopicProbe.send(
          Infrastructure.shared().kafka().bootstrapServers(),
          Topics.COMMANDS,
          "fence",
          fence.getBytes(),
          null);
      commands.awaitOne(r -> new String(r.value()).equals(fence), Duration.ofSeconds(10));
      assertThat(commands.records(r -> new String(r.value()).contains(marker))).isEmpty();
    }
  }

  /** A refusal with its tenant known is published as a REJECTED outcome for the audit log. */
  private static void awaitRejection(String tenant, int status) {
    try (TopicProbe outcomes =
        TopicProbe.open(Infrastructure.shared().kafka().bootstrapServers(), Topics.OUTCOMES)) {
      var record =
          outcomes.awaitOne(
              r -> {
                // GatewayWritePathTest also puts records that are not outcomes on this topic.
                if (!new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)
                    .contains(tenant)) {
                  return false;
                }
                var o = io.provisioninghub.contracts.ContractJson.outcome(r.value());
                return o.tenantId().equals(tenant)
                    && o.httpStatus() == status
                    && o.status() == io.provisioninghub.contracts.OutcomeStatus.REJECTED;
              },
              Duration.ofSeconds(10));
      assertThat(
              io.provisioninghub.contracts.ContractJson.outcome(record.value()).rejectedRequest())
          .isNotNull();
    }
  }

  @Test
  void defaultLimitAllowsABurstOfAHundred() {
    String tenant = uniqueTenant();
    String secret = TestTenants.newSecret();
    TestTenants.publish(
        new TenantSnapshot(
            tenant,
            1,
            "t",
            null,
            TenantStatus.ACTIVE,
            new RateLimit(25, 100),
            null,
            List.of(TestTenants.credential(secret, null)),
            Instant.now()));
    await().atMost(Duration.ofSeconds(10)).until(() -> TestTenants.statusWith(secret) == 404);
    for (int i = 0; i < 90; i++) {
      assertThat(TestTenants.statusWith(secret)).isEqualTo(404);
    }
  }

  /**
   * Records the view cannot read (not JSON, a snapshot that is not one) are set aside and counted;
   * the next valid snapshot still authenticates.
   */
  @Test
  void garbageOnTheTenantsTopicIsSetAsideAndTheNextSnapshotAuthenticates() {
    String tenant = uniqueTenant();
    String secret = TestTenants.newSecret();
    String bootstrap = Infrastructure.shared().kafka().bootstrapServers();
    double unreadableBefore = setAside("unreadable");

    // Signed, so that they get past the signature check and are judged on their content.
    byte[] notJson = "{not json".getBytes();
    byte[] notASnapshot = "{\"formatVersion\":1,\"status\":[]}".getBytes();
    SnapshotSigningKeys keys = SnapshotSigningKeys.shared();
    TopicProbe.send(
        bootstrap, Topics.TENANTS, tenant, notJson, keys.snapshotHeaders(tenant, notJson));
    TopicProbe.send(
        bootstrap,
        Topics.TENANTS,
        tenant,
        notASnapshot,
        keys.snapshotHeaders(tenant, notASnapshot));
    TestTenants.publish(
        TestTenants.snapshot(
            tenant,
            1,
            TenantStatus.ACTIVE,
            GENEROUS,
            List.of(TestTenants.credential(secret, null))));

    await().atMost(Duration.ofSeconds(10)).until(() -> TestTenants.statusWith(secret) == 404);
    assertThat(setAside("unreadable")).isGreaterThanOrEqualTo(unreadableBefore + 2);
    RestAssured.get(ready).then().statusCode(200);
  }

  /** Zero until the consumer's meters exist (its bean is created on first use). */
  private double setAside(String reason) {
    var counter =
        registry
            .find(SetAsideRecords.NAME)
            .tag("consumer", "tenant-view")
            .tag("reason", reason)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private static String uniqueTenant() {
    return "t-" + UUID.randomUUID();
  }
}
