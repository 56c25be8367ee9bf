package io.provisioninghub.registry.publish;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.registry.AdminKeysTestResource;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The registry on the real broker: its readiness includes the publisher's Kafka check, and it
 * exports Kafka client metrics for its hand-built producer and consumers, and the broker's view of
 * its consumer groups, like the other services.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(AdminKeysTestResource.class)
class RegistryKafkaObservabilityTest {

  // The management root is /q already.
  @TestHTTPResource(value = "/health/ready", management = true)
  URL ready;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @Test
  void readinessNamesTheKafkaPublisherAndItIsUp() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> given().get(ready).statusCode() == 200);
    String body = given().get(ready).then().statusCode(200).extract().asString();
    assertThat(body).contains("tenant snapshots publisher (Kafka)").contains("tenants.v1");
  }

  @Test
  void kafkaClientMetricsAndGroupLagAreExported() {
    // A tenant change makes the producer send.
    given()
        .auth()
        .oauth2(AdminKeysTestResource.token("provisioning-admin"))
        .contentType("application/json")
        .body(
            "{\"id\":\"obs-"
                + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"displayName\":\"Obs\"}")
        .post("/admin/v1/tenants")
        .then()
        .statusCode(201);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              String scrape = given().get(metrics).asString();
              return scrape.contains("kafka_producer_record_send_total")
                  && scrape.contains("client_id=\"tenant-registry-publisher\"")
                  && scrape.contains("kafka_consumer_fetch_manager_records_consumed_total")
                  && scrape.contains("phub_kafka_group_members{")
                  && scrape.contains("group=\"tenant-registry-usage\"");
            });
  }
}
