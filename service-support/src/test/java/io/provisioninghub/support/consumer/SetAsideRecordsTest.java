package io.provisioninghub.support.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.provisioninghub.support.consumer.SetAsideRecords.Reason;
import org.junit.jupiter.api.Test;

class SetAsideRecordsTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @Test
  void everyReasonIsExposedFromZeroAndCountsPerConsumer() {
    SetAsideRecords usage = new SetAsideRecords(registry, "usage");
    new SetAsideRecords(registry, "tenant-view");

    usage.count(Reason.FAILED);
    usage.count(Reason.FAILED);

    String scrape = registry.scrape();
    assertThat(scrape)
        .containsPattern(
            "phub_consumer_records_set_aside_total\\{consumer=\"usage\",reason=\"failed\",?} 2.0")
        .containsPattern(
            "phub_consumer_records_set_aside_total\\{consumer=\"usage\",reason=\"unreadable\",?}"
                + " 0.0")
        .containsPattern(
            "phub_consumer_records_set_aside_total\\{consumer=\"tenant-view\",reason=\"refused\",?}"
                + " 0.0");
    assertThat(usage.total(Reason.FAILED)).isEqualTo(2.0);
  }

  @Test
  void describeKeepsTheTypeAndTheHeadOfTheMessageOnly() {
    assertThat(SetAsideRecords.describe(new StackOverflowError())).isEqualTo("StackOverflowError");
    assertThat(
            SetAsideRecords.describe(
                new IllegalArgumentException("not JSON: {\"userName\":\"secret\"}")))
        .isEqualTo("IllegalArgumentException: not JSON");
    assertThat(SetAsideRecords.describe(new IllegalStateException("bad \u0000 value\ud800")))
        .isEqualTo("IllegalStateException: bad ? value?")
        .hasSizeLessThanOrEqualTo(200);
    assertThat(SetAsideRecords.describe(new IllegalStateException("x".repeat(500)))).hasSize(200);
  }
}
