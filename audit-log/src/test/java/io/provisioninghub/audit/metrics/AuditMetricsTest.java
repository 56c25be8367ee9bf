package io.provisioninghub.audit.metrics;

import static io.provisioninghub.audit.AuditFixtures.bootstrap;
import static io.provisioninghub.audit.AuditFixtures.createUser;
import static io.provisioninghub.audit.AuditFixtures.supportToken;
import static io.provisioninghub.audit.AuditFixtures.tenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The trace id of a command record's traceparent lands in its row; ingestion is metered. */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class AuditMetricsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @Test
  void traceIdIsStoredAndReturnedAndIngestionIsMetered() {
    String tenant = tenant();
    ProvisioningCommand create = createUser(tenant, "traced@contoso.com");
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        "traceparent",
        ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.US_ASCII));
    TopicProbe.send(
        bootstrap(), Topics.COMMANDS, create.kafkaKey(), ContractJson.toBytes(create), headers);

    String traced =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    given()
                        .auth()
                        .oauth2(supportToken())
                        .get("/audit/v1/tenants/" + tenant + "/operations/" + create.commandId())
                        .then()
                        .extract()
                        .jsonPath()
                        .getString("traceId"),
                traceId::equals);
    assertThat(traced).isEqualTo(traceId);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              String text = RestAssured.get(metrics).asString();
              assertThat(text)
                  .containsPattern(
                      "phub_audit_records_ingested_total\\{application=\"audit-log\","
                          + "topic=\"scim.commands.v1\",?\\} [1-9]")
                  .contains("phub_audit_ingest_lag_seconds{application=\"audit-log\"")
                  .contains("phub_audit_ingest_failures_total{application=\"audit-log\"")
                  .containsPattern(
                      "phub_kafka_consumer_lag_records\\{application=\"audit-log\","
                          + "group=\"audit-log\",topic=\"scim.commands.v1\",?\\} \\d");
            });
  }

  @Test
  void traceParentParsing() {
    assertThat(TraceParent.traceId("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(TraceParent.traceId("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
        .isNull();
    assertThat(TraceParent.traceId("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"))
        .isNull();
    assertThat(TraceParent.traceId("garbage")).isNull();
    assertThat(TraceParent.traceId((String) null)).isNull();
  }
}
