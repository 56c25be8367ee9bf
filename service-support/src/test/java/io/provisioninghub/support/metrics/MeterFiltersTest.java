package io.provisioninghub.support.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MeterFiltersTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  MeterFiltersTest() {
    registry.config().meterFilter(MeterFilters.commonTags("scim-gateway"));
    registry.config().meterFilter(MeterFilters.timerHistograms());
  }

  @Test
  void everySeriesCarriesTheApplication() {
    Counter.builder("phub.auth.failures").tag("reason", "missing").register(registry).increment();

    assertThat(registry.scrape())
        .containsPattern(
            "phub_auth_failures_total\\{application=\"scim-gateway\",reason=\"missing\",?} 1.0");
  }

  @Test
  void projectAndHttpServerTimersPublishFifteenBucketsFromOneMillisecondToOneMinute() {
    Timer.builder("phub.scim.requests").register(registry).record(Duration.ofMillis(20));
    Timer.builder("http.server.requests").register(registry).record(Duration.ofMillis(20));

    String scrape = registry.scrape();
    java.util.List<String> boundaries =
        scrape
            .lines()
            .filter(l -> l.startsWith("phub_scim_requests_seconds_bucket{"))
            .map(l -> l.replaceAll(".*le=\"([^\"]+)\".*", "$1"))
            .toList();
    assertThat(boundaries)
        .containsExactly(
            "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5",
            "5.0", "10.0", "30.0", "60.0", "+Inf");
    // The latency SLO (docs/operations.md) reads le="1.0"; a 20 ms request is under it.
    assertThat(scrape)
        .containsPattern(
            "phub_scim_requests_seconds_bucket\\{application=\"scim-gateway\",le=\"1.0\",?} 1.0")
        .containsPattern(
            "phub_scim_requests_seconds_bucket\\{application=\"scim-gateway\",le=\"0.01\",?} 0.0")
        .contains("http_server_requests_seconds_bucket{application=\"scim-gateway\",le=\"0.001\",");
  }

  @Test
  void otherTimersKeepTheirConfiguration() {
    Timer.builder("jvm.other.timer").register(registry).record(Duration.ofMillis(20));

    assertThat(registry.scrape())
        .contains("jvm_other_timer_seconds_count")
        .doesNotContain("jvm_other_timer_seconds_bucket");
  }

  @Test
  void aServiceMayKeepHttpServerRequestsWithoutBuckets() {
    PrometheusMeterRegistry gateway = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    gateway.config().meterFilter(MeterFilters.timerHistograms(false));
    Timer.builder("phub.scim.requests").register(gateway).record(Duration.ofMillis(20));
    Timer.builder("http.server.requests").register(gateway).record(Duration.ofMillis(20));

    String scrape = gateway.scrape();
    assertThat(scrape).contains("phub_scim_requests_seconds_bucket");
    assertThat(scrape).contains("http_server_requests_seconds_count");
    assertThat(scrape).doesNotContain("http_server_requests_seconds_bucket");
  }

  @Test
  void idsInUriLabelsBecomeTemplates() {
    assertThat(MeterFilters.template("/scim/v2/Users/2819c223-7f76-453a-919d-413861904646"))
        .isEqualTo("/scim/v2/Users/{id}");
    assertThat(MeterFilters.template("/scim/v2/users/12345/manager"))
        .isEqualTo("/scim/v2/users/{id}/manager");
    assertThat(MeterFilters.template("/scim/v2/Users/{id}")).isEqualTo("/scim/v2/Users/{id}");
    assertThat(MeterFilters.template("/scim/v2/Users/.search")).isEqualTo("/scim/v2/Users/.search");
    assertThat(MeterFilters.template("/scim/v2/ServiceProviderConfig"))
        .isEqualTo("/scim/v2/ServiceProviderConfig");
    assertThat(MeterFilters.template("/admin/v1/tenants/contoso-4711/credentials"))
        .isEqualTo("/admin/v1/tenants/{id}/credentials");
    assertThat(MeterFilters.template("/x/%27or%201=1")).isEqualTo("/x/{id}");
    assertThat(MeterFilters.template("NOT_FOUND")).isEqualTo("NOT_FOUND");
    assertThat(MeterFilters.template("/")).isEqualTo("/");

    PrometheusMeterRegistry http = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    http.config().meterFilter(MeterFilters.uriTemplates());
    for (int i = 0; i < 5; i++) {
      Timer.builder("http.server.requests")
          .tag("uri", "/scim/v2/Users/" + java.util.UUID.randomUUID())
          .tag("status", "405")
          .register(http)
          .record(Duration.ofMillis(1));
    }
    assertThat(http.find("http.server.requests").timers()).hasSize(1);
    assertThat(http.get("http.server.requests").timer().getId().getTag("uri"))
        .isEqualTo("/scim/v2/Users/{id}");
    assertThat(http.get("http.server.requests").timer().count()).isEqualTo(5);
  }

  @Test
  void kafkaMetricsCarryEachTopicOnce() {
    PrometheusMeterRegistry kafka = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    kafka.config().meterFilter(MeterFilters.kafkaTopicsOnce());
    Counter.builder("kafka.consumer.fetch.manager.records.consumed.total")
        .tag("topic", "scim.commands.v1")
        .register(kafka)
        .increment();
    Counter.builder("kafka.consumer.fetch.manager.records.consumed.total")
        .tag("topic", "scim_commands_v1")
        .register(kafka)
        .increment();
    Counter.builder("phub.other").tag("topic", "some_name").register(kafka).increment();

    String scrape = kafka.scrape();
    assertThat(scrape).contains("topic=\"scim.commands.v1\"");
    assertThat(scrape).doesNotContain("scim_commands_v1");
    assertThat(scrape).contains("topic=\"some_name\"");
  }
}
