package io.provisioninghub.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class TenantRequestCounterTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void tenantsBeyondTheLimitAreCountedAsOther() {
    TenantRequestCounter counter = new TenantRequestCounter(registry, 3);
    for (int i = 0; i < 10; i++) {
      counter.record("tenant-" + i, 201);
    }
    counter.record("tenant-1", 404);
    counter.record("tenant-9", 429);

    assertThat(
            registry.find(TenantRequestCounter.NAME).counters().stream()
                .map(c -> c.getId().getTag("tenant"))
                .distinct())
        .containsExactlyInAnyOrder("tenant-0", "tenant-1", "tenant-2", "_other");
    assertThat(count("tenant-1", "success")).isEqualTo(1);
    assertThat(count("tenant-1", "failure")).isEqualTo(1);
    assertThat(count("_other", "success")).isEqualTo(7);
    assertThat(count("_other", "rate_limited")).isEqualTo(1);
  }

  @Test
  void aTenantKeepsItsLabelOnceItHasOne() {
    TenantRequestCounter counter = new TenantRequestCounter(registry, 1);
    counter.record("first", 200);
    counter.record("second", 200);
    counter.record("first", 500);

    assertThat(count("first", "success")).isEqualTo(1);
    assertThat(count("first", "failure")).isEqualTo(1);
    assertThat(count("_other", "success")).isEqualTo(1);
  }

  private double count(String tenant, String outcome) {
    Counter c =
        registry
            .find(TenantRequestCounter.NAME)
            .tag("tenant", tenant)
            .tag("outcome", outcome)
            .counter();
    return c == null ? 0 : c.count();
  }
}
