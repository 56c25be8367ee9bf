package io.provisioninghub.support.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;

/**
 * Registry-wide settings of the metrics contract (docs/metrics.md): every meter carries {@code
 * application}, and the services' timers publish histogram buckets so latency quantiles can be
 * computed across instances.
 */
public final class MeterFilters {

  static final Duration MIN_EXPECTED = Duration.ofMillis(1);
  static final Duration MAX_EXPECTED = Duration.ofSeconds(60);

  private MeterFilters() {}

  /** Tags every meter with {@code application} = the service's name. */
  public static MeterFilter commonTags(String application) {
    return MeterFilter.commonTags(Tags.of("application", application));
  }

  /**
   * Percentile histograms (1 ms to 60 s) on the project's timers ({@code phub.*}) and on Quarkus's
   * {@code http.server.requests}; other timers keep their configuration.
   */
  public static MeterFilter timerHistograms() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() == Meter.Type.TIMER
            && (id.getName().startsWith("phub.") || id.getName().equals("http.server.requests"))) {
          return DistributionStatisticConfig.builder()
              .percentilesHistogram(true)
              .minimumExpectedValue((double) MIN_EXPECTED.toNanos())
              .maximumExpectedValue((double) MAX_EXPECTED.toNanos())
              .build()
              .merge(config);
        }
        return config;
      }
    };
  }
}
