package io.provisioninghub.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.OutcomeStatus;
import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.KafkaAcls;
import io.provisioninghub.testkit.SecuredInfrastructureTestResource;
import io.provisioninghub.testkit.SnapshotSigningKeys;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The gateway against a broker with SASL SCRAM-SHA-512 and ACLs on, as its own principal {@code
 * scim-gateway} with only the ACLs of the matrix: one set of {@code kafka.*} settings reaches every
 * Kafka client, the messaging channels (commands, rejections, the reply consumer) and the
 * hand-built tenant view and usage reporter alike.
 */
@QuarkusTest
@WithTestResource(
    value = SecuredInfrastructureTestResource.class,
    initArgs = @ResourceArg(name = "principal", value = KafkaAcls.GATEWAY))
class SecuredKafkaTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
  java.net.URL ready;

  @Test
  void everyKafkaClientOfTheGatewayWorksAsItsOwnPrincipal() throws Exception {
    Infrastructure secured = Infrastructure.secured();
    Map<String, String> admin = secured.kafka().adminConfig();
    // Ready means the reply consumer has its partition and the tenant view caught up.
    await().atMost(Duration.ofSeconds(60)).until(() -> RestAssured.get(ready).statusCode() == 200);

    // Tenant view (hand-built consumer): a snapshot the registry's principal publishes, signed.
    String tenant = "secured-" + UUID.randomUUID();
    String secret = TestTenants.newSecret();
    byte[] snapshot =
        ContractJson.toBytes(
            TestTenants.snapshot(
                tenant,
                1,
                TenantStatus.ACTIVE,
                new RateLimit(1000, 1000),
                List.of(TestTenants.credential(secret, null))));
    TopicProbe.send(
        secured.kafkaConfig(KafkaAcls.REGISTRY),
        Topics.TENANTS,
        tenant,
        snapshot,
        SnapshotSigningKeys.shared().snapshotHeaders(tenant, snapshot));
    await().atMost(WAIT).until(() -> TestTenants.statusWith(secret) == 404);

    try (TopicProbe commands = TopicProbe.open(admin, Topics.COMMANDS);
        TopicProbe outcomes = TopicProbe.open(admin, Topics.OUTCOMES);
        TopicProbe usage = TopicProbe.open(admin, Topics.CREDENTIAL_USAGE)) {
      // Rejections channel: a broken body is refused and published as a REJECTED outcome.
      given()
          .auth()
          .oauth2(secret)
          .contentType("application/scim+json")
          .body("{\"schemas\":[")
          .post("/scim/v2/Users")
          .then()
          .statusCode(400);
      outcomes.awaitOne(
          r -> {
            String text = new String(r.value(), StandardCharsets.UTF_8);
            if (!text.contains(tenant)) {
              return false;
            }
            var outcome = ContractJson.outcome(r.value());
            return outcome.status() == OutcomeStatus.REJECTED && outcome.httpStatus() == 400;
          },
          WAIT);

      // Commands channel: a valid create is published (no processor runs here, so the request
      // waits for a reply that never comes; only the record matters).
      String userName = "secured-" + UUID.randomUUID() + "@contoso.com";
      CompletableFuture<Integer> create =
          CompletableFuture.supplyAsync(
              () ->
                  given()
                      .auth()
                      .oauth2(secret)
                      .contentType("application/scim+json")
                      .body(
                          "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                              + "\"userName\":\""
                              + userName
                              + "\"}")
                      .post("/scim/v2/Users")
                      .statusCode());
      commands.awaitOne(
          r ->
              new String(r.value(), StandardCharsets.UTF_8).contains(userName)
                  && tenant.equals(ContractJson.command(r.value()).tenantId()),
          WAIT);

      // Usage reporter (hand-built producer): the credential's use reaches tenants.usage.v1.
      usage.awaitOne(
          r -> r.value() != null && ContractJson.usage(r.value()).tenantId().equals(tenant), WAIT);

      // Whatever the answer (no processor), the request has ended before the next test class.
      assertThat(create.get(30, java.util.concurrent.TimeUnit.SECONDS)).isNotEqualTo(201);
    }
  }
}
