package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.ServiceProcess;
import io.provisioninghub.testkit.TopicProbe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * One operation, one id: the W3C trace id a client sends in {@code traceparent} is on the command
 * record, the outcome and event records, the audit row (support API {@code traceId}) and, with the
 * tenant, command and request ids, in the JSON log lines the gateway and processor write for it.
 */
class TraceContextIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void traceIdFollowsTheRequestThroughKafkaIntoTheAuditLogAndLogs() throws Exception {
    SystemUnderTest sut = SystemUnderTest.get();
    Assumptions.assumeTrue(sut.ownsSystem(), "needs the services this JVM started");
    ServiceProcess audit = sut.audit();
    String bootstrap = Infrastructure.shared().kafka().bootstrapServers();
    String tenant = "tenant-a-" + sut.suffix;
    String traceId = hex(16);
    String requestId = "trace-it-" + UUID.randomUUID();

    try (TopicProbe commands = TopicProbe.open(bootstrap, Topics.COMMANDS);
        TopicProbe outcomes = TopicProbe.open(bootstrap, Topics.OUTCOMES);
        TopicProbe events = TopicProbe.open(bootstrap, Topics.EVENTS)) {
      Scim.Reply created =
          sut.tenantA.post(
              "/Users",
              "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
                  + Scim.uniqueName("trace")
                  + "\"}",
              "traceparent",
              "00-" + traceId + "-" + hex(8) + "-01",
              "client-request-id",
              requestId);
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      String userId = created.json().get("id").asText();

      ConsumerRecord<String, byte[]> command =
          commands.awaitOne(r -> (tenant + "/User/" + userId).equals(r.key()), WAIT);
      assertThat(traceIdOf(command)).isEqualTo(traceId);
      UUID commandId = ContractJson.command(command.value()).commandId();

      ConsumerRecord<String, byte[]> outcome =
          outcomes.awaitOne(r -> commandId.equals(outcomeCommandId(r)), WAIT);
      assertThat(traceIdOf(outcome)).isEqualTo(traceId);
      ConsumerRecord<String, byte[]> event =
          events.awaitOne(r -> (tenant + "/" + userId).equals(r.key()), WAIT);
      assertThat(traceIdOf(event)).isEqualTo(traceId);

      String operation =
          audit.baseUrl() + "/audit/v1/tenants/" + tenant + "/operations/" + commandId;
      JsonNode row =
          await()
              .atMost(WAIT)
              .until(
                  () -> support(operation, sut.supportToken()),
                  r -> r != null && r.path("outcomeSeen").asBoolean());
      assertThat(row.path("traceId").asText()).isEqualTo(traceId);
      assertThat(row.path("clientRequestId").asText()).isEqualTo(requestId);

      Map<String, String> expected =
          Map.of(
              "tenantId", tenant,
              "commandId", commandId.toString(),
              "requestId", requestId,
              "traceId", traceId);
      for (ServiceProcess service : List.of(sut.gatewayService, sut.processorService)) {
        await()
            .atMost(WAIT)
            .untilAsserted(
                () ->
                    assertThat(mdcOfLines(service.logFile()))
                        .as("a JSON log line of %s about command %s", service, commandId)
                        .anySatisfy(
                            mdc ->
                                expected.forEach(
                                    (k, v) -> assertThat(mdc.path(k).asText()).isEqualTo(v))));
      }
    }
  }

  private static String traceIdOf(ConsumerRecord<String, byte[]> record) {
    Header header = record.headers().lastHeader("traceparent");
    assertThat(header).as("traceparent header on %s", record.topic()).isNotNull();
    String[] parts = new String(header.value(), StandardCharsets.US_ASCII).split("-");
    assertThat(parts).hasSize(4);
    return parts[1];
  }

  private static UUID outcomeCommandId(ConsumerRecord<String, byte[]> record) {
    try {
      return ContractJson.outcome(record.value()).commandId();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The MDC of every JSON line of a service log (lines that are not JSON are skipped). */
  private static List<JsonNode> mdcOfLines(Path log) throws IOException {
    return Files.readAllLines(log).stream()
        .filter(l -> l.startsWith("{"))
        .map(
            l -> {
              try {
                return ContractJson.mapper().readTree(l).path("mdc");
              } catch (IOException e) {
                return null;
              }
            })
        .filter(n -> n != null && n.isObject())
        .toList();
  }

  private static JsonNode support(String url, String token) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 404) {
      return null;
    }
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return ContractJson.mapper().readTree(response.body());
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
