package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.provisioninghub.testkit.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metrics contract (docs/metrics.md) against the production jars: a provisioning flow through
 * the real services, then a scrape of each service's management port. Also checks that every metric
 * the dashboards and alert rules under deploy/ read is exposed by some service.
 */
class MetricsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static SystemUnderTest sut;
  private static Map<String, ServiceProcess> services;
  private static Map<String, Integer> statuses = new LinkedHashMap<>();
  private static String tenant;

  static com.sun.net.httpserver.HttpServer webhookReceiver;

  @org.junit.jupiter.api.AfterAll
  static void stopReceiver() {
    if (webhookReceiver != null) {
      webhookReceiver.stop(0);
    }
  }

  /**
   * A webhook endpoint of the tenant, at a receiver that accepts everything: the provisioning flow
   * below then produces the webhook series the dashboards read.
   */
  static com.sun.net.httpserver.HttpServer webhookEndpoint(SystemUnderTest sut, String tenant) {
    try {
      var webhooks = sut.webhooks();
      webhooks.awaitReady(java.time.Duration.ofSeconds(120));
      var receiver =
          com.sun.net.httpserver.HttpServer.create(
              new java.net.InetSocketAddress("127.0.0.1", 0), 0);
      receiver.createContext(
          "/",
          exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
          });
      receiver.start();
      var response =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(webhooks.baseUrl() + "/admin/v1/webhooks/endpoints"))
                      .header("Authorization", "Bearer " + sut.adminToken())
                      .header("Content-Type", "application/json")
                      .POST(
                          java.net.http.HttpRequest.BodyPublishers.ofString(
                              "{\"url\":\"http://127.0.0.1:"
                                  + receiver.getAddress().getPort()
                                  + "/\",\"tenantId\":\""
                                  + tenant
                                  + "\"}"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
      return receiver;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void provisioningFlow() {
    sut = SystemUnderTest.get();
    Assumptions.assumeTrue(sut.ownsSystem(), "needs the services this JVM started");
    sut.audit();
    webhookReceiver = webhookEndpoint(sut, "tenant-a-" + sut.suffix);
    services = sut.services();
    tenant = "tenant-a-" + sut.suffix;
    Scim scim = sut.tenantA;

    Scim.Reply created = scim.createUser(Scim.uniqueName("metrics"));
    statuses.put("create User", created.status());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String userId = created.json().get("id").asText();
    statuses.put("get User", scim.get("/Users/" + userId).status());
    Scim.Reply patched =
        scim.patch(
            "/Users/" + userId,
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                + "\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"M\"}]}");
    statuses.put("patch User", patched.status());
    assertThat(patched.status()).as(patched.toString()).isBetween(200, 204);
    Scim.Reply group =
        scim.post(
            "/Groups",
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\""
                + "metrics-"
                + UUID.randomUUID()
                + "\",\"members\":[{\"value\":\""
                + userId
                + "\"}]}");
    statuses.put("create Group", group.status());
    assertThat(group.status()).as(group.toString()).isEqualTo(201);
    assertThat(scim.filter("Users", "userName eq", null).status()).isEqualTo(400);
    assertThat(scim.as("not-a-known-secret").get("/Users").status()).isEqualTo(401);
    assertThat(scim.get("/Users/" + UUID.randomUUID()).status()).isEqualTo(404);
    Scim.Reply deleted = scim.delete("/Users/" + userId);
    statuses.put("delete User", deleted.status());
    assertThat(deleted.status()).isEqualTo(204);
  }

  @Test
  void gatewayCountsRequestsByOperationResourceStatusAndOutcome() {
    Scrape gateway = Scrape.of(services.get("scim-gateway").managementUrl());
    assertCounted(gateway, "create", "User", statuses.get("create User"), "success");
    assertCounted(gateway, "get", "User", statuses.get("get User"), "success");
    assertCounted(gateway, "patch", "User", statuses.get("patch User"), "success");
    assertCounted(gateway, "delete", "User", 204, "success");
    assertCounted(gateway, "create", "Group", 201, "success");
    assertCounted(gateway, "search", "User", 400, "client_error");
    assertCounted(gateway, "get", "User", 404, "client_error");
    assertCounted(gateway, "list", "User", 401, "client_error");
    assertThat(
            gateway.series(
                "phub_scim_requests_seconds_bucket", Map.of("operation", "create", "le", "+Inf")))
        .isNotEmpty();

    assertThat(gateway.value("phub_auth_failures_total", Map.of("reason", "unknown")))
        .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(1));
    assertThat(gateway.value("phub_rate_limit_rejections_total", Map.of())).isPresent();
    assertThat(
            gateway.value(
                "phub_scim_tenant_requests_total", Map.of("tenant", tenant, "outcome", "success")))
        .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(5));
    assertThat(
            gateway.value(
                "phub_scim_tenant_requests_total", Map.of("tenant", tenant, "outcome", "failure")))
        .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(2));
    // The tenant label appears on no other phub_ metric.
    assertThat(gateway.samples())
        .filteredOn(s -> s.labels().containsKey("tenant"))
        .extracting(Scrape.Sample::name)
        .containsOnly("phub_scim_tenant_requests_total");
    assertThat(gateway.value("phub_gateway_reply_wait_seconds_count", Map.of("outcome", "reply")))
        .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(4));
    assertThat(gateway.value("phub_gateway_pending_replies", Map.of())).isPresent();
    assertThat(gateway.value("phub_gateway_tenants_known", Map.of()))
        .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(2));
    await()
        .atMost(WAIT)
        .until(
            () ->
                Scrape.of(services.get("scim-gateway").managementUrl())
                    .value("phub_kafka_consumer_lag_records", Map.of("topic", "scim.outcomes.v1"))
                    .isPresent());
  }

  @Test
  void processorTimesAppliesAndEndToEndLatency() {
    String url = services.get("provisioning-processor").managementUrl();
    Scrape processor = Scrape.of(url);
    assertThat(
            processor.value(
                "phub_processor_apply_seconds_count",
                Map.of(
                    "operation", "create",
                    "resource", "User",
                    "result", "applied",
                    "source", "scim")))
        .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(1));
    assertThat(
            processor.value(
                "phub_processor_apply_seconds_count",
                Map.of("operation", "create", "resource", "Group", "result", "applied")))
        .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(1));
    assertThat(
            processor.series(
                "phub_processor_end_to_end_seconds_bucket",
                Map.of("operation", "delete", "resource", "User")))
        .isNotEmpty();
    assertThat(processor.value("phub_processor_duplicates_skipped_total", Map.of())).isPresent();
    assertThat(processor.value("phub_processor_transient_retries_total", Map.of())).isPresent();
    assertThat(processor.series("phub_processor_dlq_records_total", Map.of()))
        .extracting(s -> s.labels().get("reason"))
        .contains("unreadable", "permanent_failure");
    await()
        .atMost(WAIT)
        .until(
            () ->
                Scrape.of(url)
                    .value(
                        "phub_kafka_consumer_lag_records",
                        Map.of("group", "provisioning-processor", "topic", "scim.commands.v1"))
                    .isPresent());
  }

  @Test
  void auditLogCountsIngestedRecords() {
    String url = services.get("audit-log").managementUrl();
    await()
        .atMost(WAIT)
        .until(
            () ->
                Scrape.of(url)
                        .value(
                            "phub_audit_records_ingested_total",
                            Map.of("topic", "scim.commands.v1"))
                        .orElse(0.0)
                    >= 4);
    Scrape audit = Scrape.of(url);
    assertThat(
            audit.value("phub_audit_records_ingested_total", Map.of("topic", "scim.outcomes.v1")))
        .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(4));
    assertThat(audit.value("phub_audit_ingest_lag_seconds", Map.of())).isPresent();
    assertThat(audit.value("phub_audit_ingest_failures_total", Map.of())).isPresent();
    assertThat(audit.value("agroal_active_count", Map.of())).isPresent();
    await()
        .atMost(WAIT)
        .until(
            () ->
                Scrape.of(url)
                    .value(
                        "phub_kafka_consumer_lag_records",
                        Map.of("group", "audit-log", "topic", "scim.outcomes.v1"))
                    .isPresent());
  }

  @Test
  void everyServiceExposesJvmMetricsUnderItsApplicationName() {
    services.forEach(
        (name, service) -> {
          Scrape scrape = Scrape.of(service.managementUrl());
          for (String metric :
              new String[] {
                "jvm_memory_used_bytes",
                "jvm_gc_pause_seconds_count",
                "jvm_threads_live_threads",
                "process_cpu_usage",
                "process_resident_memory_bytes"
              }) {
            assertThat(scrape.series(metric, Map.of("application", name)))
                .as("%s on %s", metric, name)
                .isNotEmpty();
          }
        });
    // Requests on the public API ports only (health and metrics on the management port are not
    // counted); the processor serves no public API.
    for (String name : new String[] {"scim-gateway", "tenant-registry"}) {
      assertThat(
              Scrape.of(services.get(name).managementUrl())
                  .series("http_server_requests_seconds_count", Map.of("application", name)))
          .as("http_server_requests_seconds_count on %s", name)
          .isNotEmpty();
    }
    assertThat(
            Scrape.of(services.get("tenant-registry").managementUrl())
                .value("agroal_available_count", Map.of()))
        .isPresent();
  }

  /**
   * Scrape cost (issue 18): requests that name ids in odd ways (a method the resource does not
   * allow, a path below a resource, the lower-case spelling, a path nobody serves, the audit API's
   * ids) leave no id in any {@code uri} label; the gateway, whose SCIM requests {@code
   * phub_scim_requests_seconds} already times, keeps no HTTP histogram buckets; Kafka's client
   * metrics carry each topic once (not also with '.' replaced by '_'); and the gateway's scrape
   * stays within a bound that a label carrying ids would break.
   */
  @Test
  void scrapesCarryNoIdsAndTheGatewaysStaysBounded() {
    Scim scim = sut.tenantA;
    for (int i = 0; i < 40; i++) {
      String id = UUID.randomUUID().toString();
      scim.post("/Users/" + id, "{}");
      scim.get("/Users/" + id + "/manager");
      scim.get("/users/" + id);
      scim.as(null).get("/Groups/" + id);
      scim.get("/../nothing/" + id);
    }
    Pattern uuid = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-");
    Set<String> uris = new TreeSet<>();
    Set<String> withIds = new TreeSet<>();
    Set<String> underscoreTopics = new TreeSet<>();
    for (var service : services.entrySet()) {
      Scrape scrape = Scrape.of(service.getValue().managementUrl());
      for (Scrape.Sample sample : scrape.samples()) {
        String uri = sample.labels().get("uri");
        if (uri != null) {
          uris.add(service.getKey() + " " + uri);
          if (uuid.matcher(uri).find()) {
            withIds.add(service.getKey() + " " + sample.name() + " uri=" + uri);
          }
        }
        String topic = sample.labels().get("topic");
        if (sample.name().startsWith("kafka_")
            && topic != null
            && topic.contains("_")
            && !topic.contains(".")) {
          underscoreTopics.add(service.getKey() + " " + sample.name() + " topic=" + topic);
        }
      }
    }
    Scrape gateway = Scrape.of(services.get("scim-gateway").managementUrl());
    System.out.println("uri label values after odd requests: " + uris);
    System.out.println("gateway samples per scrape: " + gateway.samples().size());
    Map<String, Long> byName = new TreeMap<>();
    gateway.samples().forEach(sample -> byName.merge(sample.name(), 1L, Long::sum));
    System.out.println("gateway samples per name: " + byName);
    assertThat(withIds).as("series whose uri carries an id").isEmpty();
    assertThat(underscoreTopics).as("Kafka series naming a topic the deprecated way").isEmpty();
    assertThat(gateway.series("http_server_requests_seconds_bucket", Map.of())).isEmpty();
    assertThat(gateway.series("http_server_requests_seconds_count", Map.of())).isNotEmpty();
    // Fifteen boundaries and +Inf per latency histogram, however many label sets it has.
    int histograms = gateway.series("phub_scim_requests_seconds_count", Map.of()).size();
    assertThat(gateway.series("phub_scim_requests_seconds_bucket", Map.of()))
        .as("buckets of %s phub_scim_requests_seconds series", histograms)
        .hasSize(16 * histograms);
    assertThat(gateway.samples().size()).as("gateway samples per scrape").isLessThan(2500);
  }

  @Test
  void everyMetricTheDashboardsAndRulesReadIsExposed() {
    Path root = Path.of(System.getProperty("phub.root", ".."));
    DeployMetricReferences refs = DeployMetricReferences.read(root);
    assertThat(refs.files())
        .as(
            "no dashboards (deploy/grafana/dashboards/*.json) or rules"
                + " (deploy/prometheus/rules/*.yml) found under %s",
            root.toAbsolutePath())
        .isNotEmpty();
    // The webhook series appear with the first delivery of the flow's events, and the endpoint's
    // gauges with the next refresh of the webhooks metrics (every 10 s): both asynchronous.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(
            () -> {
              String webhooks = Scrape.text(services.get("webhooks").managementUrl());
              return webhooks.contains("phub_webhook_attempts_total{")
                  && webhooks.contains("phub_webhook_backlog_records{")
                  && webhooks.contains("phub_webhook_oldest_pending_seconds{");
            });
    Set<String> scraped = new HashSet<>();
    services.forEach(
        (name, service) -> {
          String text = Scrape.text(service.managementUrl());
          scraped.addAll(Scrape.parse(text).names());
          // Kept beside the service logs: the exact exposition, for dashboard authors.
          try {
            java.nio.file.Files.writeString(
                SystemUnderTest.LOGS.resolve(name + ".metrics.txt"), text);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    // The Kafka and PostgreSQL panels read the infrastructure's exporters (PHUB_EXPORTERS=true,
    // set for this module's tests): the broker's JMX exporter agent and the PostgreSQL exporter.
    Map<String, String> exporters =
        io.provisioninghub.testkit.Infrastructure.shared().exporterUrls();
    assertThat(exporters).as("the infrastructure's exporters").containsKeys("kafka", "postgres");
    exporters.forEach(
        (name, url) -> {
          String text = Scrape.textAt(url);
          scraped.addAll(Scrape.parse(text).names());
          try {
            java.nio.file.Files.writeString(
                SystemUnderTest.LOGS.resolve(name + "-exporter.metrics.txt"), text);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    Set<String> missing = new TreeSet<>();
    for (String name : refs.names()) {
      if (!DeployMetricReferences.exposed(name, scraped)) {
        missing.add(name);
      }
    }
    assertThat(missing).as("metrics read by %s but exposed by no service", refs.files()).isEmpty();
  }

  private static void assertCounted(
      Scrape scrape, String operation, String resource, int status, String outcome) {
    assertThat(
            scrape.value(
                "phub_scim_requests_seconds_count",
                Map.of(
                    "operation", operation,
                    "resource", resource,
                    "status", Integer.toString(status),
                    "outcome", outcome,
                    "application", "scim-gateway")))
        .as("%s %s %d %s", operation, resource, status, outcome)
        .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(1));
  }
}
