package io.provisioninghub.registry.publish;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.CredentialUsage;
import io.provisioninghub.contracts.TenantRecordSignature;
import io.provisioninghub.contracts.TenantRecordSignature.Verdict;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.registry.AdminKeysTestResource;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.KafkaAcls;
import io.provisioninghub.testkit.SecuredInfrastructureTestResource;
import io.provisioninghub.testkit.SnapshotSigningKeys;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * The registry against a broker with SASL SCRAM-SHA-512 and ACLs on, as principal {@code
 * tenant-registry}: its hand-built publisher and usage consumer (with its consumer group) both work
 * from the one set of {@code kafka.*} settings.
 */
@QuarkusTest
@WithTestResource(
    value = SecuredInfrastructureTestResource.class,
    initArgs = @ResourceArg(name = "principal", value = KafkaAcls.REGISTRY))
@WithTestResource(AdminKeysTestResource.class)
class SecuredKafkaTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void publishesSignedTenantsAndAppliesUsageReportsAsItsOwnPrincipal() {
    Infrastructure secured = Infrastructure.secured();
    String id = "t-" + UUID.randomUUID().toString().substring(0, 13);
    try (TopicProbe tenants = TopicProbe.open(secured.kafka().adminConfig(), Topics.TENANTS)) {
      admin()
          .body("{\"id\":\"" + id + "\",\"displayName\":\"Secured " + id + "\"}")
          .post("/admin/v1/tenants")
          .then()
          .statusCode(201);
      ConsumerRecord<String, byte[]> snapshot =
          tenants.awaitOne(r -> id.equals(r.key()) && r.value() != null, WAIT);
      TenantRecordSignature.Verifier gateway =
          new TenantRecordSignature.Verifier(
              TenantRecordSignature.parsePublicKeys(
                  List.of(SnapshotSigningKeys.shared().trustedKey())));
      assertThat(gateway.verify(id, snapshot.value(), name -> header(snapshot, name)))
          .isInstanceOf(Verdict.Valid.class);
    }

    String credentialId = admin().post("/admin/v1/tenants/" + id + "/credentials").path("id");
    // Reported as the gateways report it, with the gateway's principal.
    TopicProbe.send(
        secured.kafkaConfig(KafkaAcls.GATEWAY),
        Topics.CREDENTIAL_USAGE,
        id + "/" + credentialId,
        ContractJson.toBytes(
            new CredentialUsage(id, credentialId, Instant.parse("2026-11-28T10:00:00Z"))),
        null);
    await()
        .atMost(WAIT)
        .until(
            () ->
                "2026-11-28T10:00:00Z"
                    .equals(
                        admin()
                            .get("/admin/v1/tenants/" + id + "/credentials")
                            .path("find { it.id == '" + credentialId + "' }.lastUsedAt")));
  }

  private static byte[] header(ConsumerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : h.value();
  }

  private static RequestSpecification admin() {
    return given()
        .auth()
        .oauth2(AdminKeysTestResource.token("provisioning-admin"))
        .contentType("application/json");
  }
}
