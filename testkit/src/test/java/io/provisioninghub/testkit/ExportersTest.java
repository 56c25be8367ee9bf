package io.provisioninghub.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The infrastructure's exporters answer what the "Kafka and PostgreSQL" dashboard asks first: a
 * broker started with the JMX exporter agent and the project's rules, and the PostgreSQL exporter
 * on the embedded database, both on loopback, both scraped here after real traffic.
 */
class ExportersTest {

  private static Infrastructure infra;

  @BeforeAll
  static void start() throws Exception {
    Path work = Files.createTempDirectory("phub-testkit-exporters-");
    System.setProperty("phub.exporters", "true");
    try {
      infra = Infrastructure.start(work, work, false, false);
    } finally {
      System.clearProperty("phub.exporters");
    }
  }

  @AfterAll
  static void stop() {
    infra.stop();
  }

  @Test
  void theBrokersExporterReportsPartitionsControllerTrafficAndRequestLatency() {
    String url = infra.exporterUrls().get("kafka");
    assertThat(url).startsWith("http://127.0.0.1:");
    for (int i = 0; i < 20; i++) {
      TopicProbe.send(
          infra.kafkaConfig(KafkaAcls.GATEWAY),
          "scim.commands.v1",
          "t/User/" + UUID.randomUUID(),
          "{}".getBytes(StandardCharsets.UTF_8),
          new RecordHeaders());
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> scrape(url).contains("kafka_server_brokertopicmetrics_messagesinpersec_total"));
    String text = scrape(url);
    assertThat(value(text, "kafka_server_replicamanager_underreplicatedpartitions ")).isZero();
    assertThat(value(text, "kafka_controller_kafkacontroller_activecontrollercount ")).isEqualTo(1);
    assertThat(value(text, "kafka_controller_kafkacontroller_offlinepartitionscount ")).isZero();
    assertThat(value(text, "kafka_server_replicamanager_partitioncount ")).isPositive();
    assertThat(value(text, "kafka_server_brokertopicmetrics_messagesinpersec_total "))
        .isGreaterThanOrEqualTo(20);
    assertThat(text)
        .contains("kafka_network_requestmetrics_totaltimems{quantile=\"0.99\",request=\"Produce\"}")
        .contains("kafka_network_socketserver_networkprocessoravgidlepercent ");
    assertThat(value(text, "kafka_network_requestmetrics_requests_total{request=\"Produce\"}"))
        .isGreaterThanOrEqualTo(20);
    // Only the beans the rules name: a small scrape.
    assertThat(text.lines().filter(l -> l.startsWith("kafka_")).count()).isLessThan(100);
  }

  @Test
  void thePostgresExporterReportsConnectionsAndTransactions() throws Exception {
    String url = infra.exporterUrls().get("postgres");
    assertThat(url).startsWith("http://127.0.0.1:");
    try (var connection = infra.postgres().connect();
        var statement = connection.createStatement()) {
      statement.execute("select 1");
      String text = scrape(url);
      assertThat(value(text, "pg_up ")).isEqualTo(1);
      assertThat(text)
          .contains("pg_stat_database_numbackends{datid=")
          .contains("pg_stat_database_xact_commit{")
          .contains("pg_stat_activity_count{")
          .contains("pg_stat_activity_max_tx_duration{")
          .contains("pg_settings_max_connections");
      assertThat(
              text.lines()
                  .filter(
                      l ->
                          l.startsWith("pg_stat_database_numbackends{")
                              && l.contains("datname=\"" + infra.postgres().database() + "\""))
                  .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                  .sum())
          .as("this test's open connection")
          .isGreaterThanOrEqualTo(1);
    }
  }

  private static double value(String text, String prefix) {
    return text.lines()
        .filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix.trim() + " in the scrape"));
  }

  private static String scrape(String url) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
