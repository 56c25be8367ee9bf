package io.provisioninghub.support.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessMemoryMetricsTest {

  @TempDir Path dir;

  @Test
  void exposesTheResidentSetSizeOfThisProcessOnLinux() {
    assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    new ProcessMemoryMetrics().bindTo(registry);

    double rss = registry.get(ProcessMemoryMetrics.NAME).gauge().value();
    // Any running JVM has well over a megabyte resident (its code cache and loaded classes alone).
    assertThat(rss).isGreaterThan(1024 * 1024);
    assertThat(registry.scrape())
        .containsPattern("(?m)^process_resident_memory_bytes [0-9.E]+$")
        .contains("# TYPE process_resident_memory_bytes gauge");
  }

  @Test
  void readsVmRssInKibibytes() throws IOException {
    Path status = dir.resolve("status");
    Files.writeString(status, "Name:\tjava\nVmPeak:\t  999 kB\nVmRSS:\t  123456 kB\nThreads:\t9\n");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    new ProcessMemoryMetrics(status).bindTo(registry);

    assertThat(registry.get(ProcessMemoryMetrics.NAME).gauge().value()).isEqualTo(123456 * 1024.0);
  }

  @Test
  void readsNanWhenTheValueCannotBeRead() throws IOException {
    Path status = dir.resolve("status");
    Files.writeString(status, "VmRSS:\t  123456 kB\n");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new ProcessMemoryMetrics(status).bindTo(registry);

    Files.writeString(status, "Name:\tjava\n");
    assertThat(registry.get(ProcessMemoryMetrics.NAME).gauge().value()).isNaN();
    Files.writeString(status, "VmRSS:\t  lots\n");
    assertThat(registry.get(ProcessMemoryMetrics.NAME).gauge().value()).isNaN();
    Files.delete(status);
    assertThat(registry.get(ProcessMemoryMetrics.NAME).gauge().value()).isNaN();
  }

  @Test
  void registersNothingWithoutProc() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    new ProcessMemoryMetrics(dir.resolve("no-such-status")).bindTo(registry);

    assertThat(registry.find(ProcessMemoryMetrics.NAME).gauges()).isEmpty();
  }
}
