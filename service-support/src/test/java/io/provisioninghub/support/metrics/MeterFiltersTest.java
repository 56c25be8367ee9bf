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
  void projectAndHttpServerTimersPublishBucketsFromOneMillisecondToOneMinute() {
    Timer.builder("phub.scim.requests").register(registry).record(Duration.ofMillis(20));
    Timer.builder("http.server.requests").register(registry).record(Duration.ofMillis(20));

    String scrape = registry.scrape();
    // The simpleclient exposition writes a trailing comma inside the braces.
    assertThat(scrape)
        .contains("phub_scim_requests_seconds_bucket{application=\"scim-gateway\",le=\"0.001\",")
        .contains("phub_scim_requests_seconds_bucket{application=\"scim-gateway\",le=\"60.0\",")
        .contains(
            "phub_scim_requests_seconds_bucket{application=\"scim-gateway\",le=\"+Inf\",} 1.0")
        .contains("http_server_requests_seconds_bucket{application=\"scim-gateway\",le=\"0.001\",")
        .doesNotContain("le=\"0.000")
        .doesNotContain("le=\"69.");
  }

  @Test
  void otherTimersKeepTheirConfiguration() {
    Timer.builder("jvm.other.timer").register(registry).record(Duration.ofMillis(20));

    assertThat(registry.scrape())
        .contains("jvm_other_timer_seconds_count")
        .doesNotContain("jvm_other_timer_seconds_bucket");
  }
}
