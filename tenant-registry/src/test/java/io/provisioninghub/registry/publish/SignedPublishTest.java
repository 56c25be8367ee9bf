package io.provisioninghub.registry.publish;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.TenantPurged;
import io.provisioninghub.contracts.TenantRecordSignature;
import io.provisioninghub.contracts.TenantRecordSignature.Verdict;
import io.provisioninghub.contracts.TenantRecordSignature.Verifier;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.registry.AdminKeysTestResource;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.SnapshotSigningKeys;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** Every record the registry puts on tenants.v1 carries its signature, tombstones included. */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(AdminKeysTestResource.class)
class SignedPublishTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Verifier gateway =
      new Verifier(
          TenantRecordSignature.parsePublicKeys(
              List.of(SnapshotSigningKeys.shared().trustedKey())));

  @Test
  void snapshotsAndTombstonesAreSignedWithTheConfiguredKey() {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 13);
    Instant before = Instant.now();
    try (TopicProbe topic =
        TopicProbe.open(Infrastructure.shared().kafka().bootstrapServers(), Topics.TENANTS)) {
      admin()
          .body("{\"id\":\"" + id + "\",\"displayName\":\"Signed " + id + "\"}")
          .post("/admin/v1/tenants")
          .then()
          .statusCode(201);
      ConsumerRecord<String, byte[]> snapshot =
          topic.awaitOne(r -> id.equals(r.key()) && r.value() != null, WAIT);
      assertThat(gateway.verify(id, snapshot.value(), name -> header(snapshot, name)))
          .isEqualTo(new Verdict.Valid(SnapshotSigningKeys.KEY_ID, java.util.Optional.empty()));

      // Deleting: first the signed DELETING snapshot, then, once the processor reports the purge,
      // the signed tombstone.
      admin().delete("/admin/v1/tenants/" + id).then().statusCode(202);
      ConsumerRecord<String, byte[]> deleting =
          topic.awaitOne(
              r ->
                  id.equals(r.key())
                      && r.value() != null
                      && ContractJson.tenant(r.value()).status() == TenantStatus.DELETING,
              WAIT);
      assertThat(gateway.verify(id, deleting.value(), name -> header(deleting, name)))
          .isInstanceOf(Verdict.Valid.class);
      TopicProbe.send(
          Infrastructure.shared().kafka().bootstrapServers(),
          Topics.TENANT_PURGES,
          id,
          ContractJson.toBytes(
              new TenantPurged(
                  id, ContractJson.tenant(deleting.value()).createdAt(), Instant.now(), 0)),
          new org.apache.kafka.common.header.internals.RecordHeaders());
      ConsumerRecord<String, byte[]> tombstone =
          topic.awaitOne(r -> id.equals(r.key()) && r.value() == null, WAIT);
      Verdict verdict = gateway.verify(id, null, name -> header(tombstone, name));
      assertThat(verdict).isInstanceOf(Verdict.Valid.class);
      assertThat(((Verdict.Valid) verdict).deletedAt()).get().matches(at -> !at.isBefore(before));
    }
  }

  @Test
  void withoutAKeyOutsideDevAndTestTheRegistryDoesNotStart() {
    SnapshotSigningConfig none =
        new SnapshotSigningConfig() {
          @Override
          public java.util.Optional<String> privateKey() {
            return java.util.Optional.empty();
          }

          @Override
          public String keyId() {
            return "registry-1";
          }
        };
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TenantPublisher.signer(none, false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("phub.registry.snapshot-signing.private-key")
        .hasMessageContaining("PHUB_REGISTRY_SNAPSHOT_SIGNING_PRIVATE_KEY");
    assertThat(TenantPublisher.signer(none, true)).isEmpty();
  }

  private static byte[] header(ConsumerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : h.value();
  }

  private static io.restassured.specification.RequestSpecification admin() {
    return given()
        .auth()
        .oauth2(AdminKeysTestResource.token("provisioning-admin"))
        .contentType("application/json");
  }
}
