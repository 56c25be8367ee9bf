package io.provisioninghub.gateway;

import static org.awaitility.Awaitility.await;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.TenantSnapshot.CredentialState;
import io.provisioninghub.contracts.TenantSnapshot.CredentialStatus;
import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.SnapshotSigningKeys;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Plays the tenant registry in gateway tests: publishes tenant snapshots to tenants.v1, signed with
 * the key the gateway under test trusts.
 */
public final class TestTenants {

  private TestTenants() {}

  public static String newSecret() {
    return "phub_test_" + UUID.randomUUID() + UUID.randomUUID();
  }

  public static String sha256(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static CredentialState credential(String secret, Instant expiresAt) {
    return new CredentialState(
        "cred-" + UUID.randomUUID(),
        sha256(secret),
        CredentialStatus.ACTIVE,
        Instant.now(),
        expiresAt);
  }

  public static TenantSnapshot snapshot(
      String tenantId,
      long revision,
      TenantStatus status,
      RateLimit limit,
      List<CredentialState> credentials) {
    return new TenantSnapshot(
        tenantId,
        revision,
        "Tenant " + tenantId,
        null,
        status,
        limit,
        null,
        credentials,
        Instant.now());
  }

  public static void publish(TenantSnapshot snapshot) {
    send(snapshot.tenantId(), ContractJson.toBytes(snapshot));
  }

  public static void publishTombstone(String tenantId) {
    send(tenantId, null);
  }

  /** Publishes an active tenant with one credential and waits until the gateway accepts it. */
  public static void onboard(String tenantId, String secret, RateLimit limit) {
    publish(snapshot(tenantId, 1, TenantStatus.ACTIVE, limit, List.of(credential(secret, null))));
    await().atMost(Duration.ofSeconds(10)).until(() -> statusWith(secret) == 404);
  }

  /**
   * The status a GET of a user id that cannot exist gets with this token: 404 once authenticated
   * (answered without touching the database).
   */
  public static int statusWith(String secret) {
    return RestAssured.given().auth().oauth2(secret).get("/scim/v2/Users/not-a-uuid").statusCode();
  }

  /** Sends a record signed as the registry signs it (testkit's key, which the gateway trusts). */
  private static void send(String key, byte[] value) {
    SnapshotSigningKeys keys = SnapshotSigningKeys.shared();
    io.provisioninghub.testkit.TopicProbe.send(
        Infrastructure.shared().kafka().bootstrapServers(),
        Topics.TENANTS,
        key,
        value,
        value == null ? keys.tombstoneHeaders(key) : keys.snapshotHeaders(key, value));
  }
}
