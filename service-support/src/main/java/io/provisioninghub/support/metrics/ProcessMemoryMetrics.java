package io.provisioninghub.support.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code process_resident_memory_bytes}: the process's resident set size, as the kernel reports it
 * in {@code /proc/self/status} ({@code VmRSS}). Micrometer's JVM binders only see the JVM's own
 * memory pools; the resident size also counts metaspace, thread stacks, code cache and native
 * buffers, which is what a container's memory limit is measured against. Where the file does not
 * exist (not Linux) nothing is registered; should a later read fail, the gauge reads NaN.
 */
public final class ProcessMemoryMetrics implements MeterBinder {

  public static final String NAME = "process.resident.memory";
  private static final Path STATUS = Path.of("/proc/self/status");

  private final Path status;

  public ProcessMemoryMetrics() {
    this(STATUS);
  }

  ProcessMemoryMetrics(Path status) {
    this.status = status;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    if (!Files.isReadable(status)) {
      return;
    }
    Gauge.builder(NAME, this, ProcessMemoryMetrics::residentBytes)
        .description("Resident set size of the process (VmRSS)")
        .baseUnit(BaseUnits.BYTES)
        // Micrometer holds a gauge's object weakly: without this, a binder nobody else keeps is
        // collected and the gauge reads NaN from then on (seen in ProcessMemoryMetricsTest).
        .strongReference(true)
        .register(registry);
  }

  /** The resident set size in bytes, or NaN if it cannot be read. */
  public double residentBytes() {
    try {
      for (String line : Files.readAllLines(status, StandardCharsets.ISO_8859_1)) {
        // "VmRSS:	  123456 kB" (the kernel always reports kB here)
        if (line.startsWith("VmRSS:")) {
          String[] fields = line.substring("VmRSS:".length()).trim().split("\\s+");
          if (fields.length == 2 && fields[1].equals("kB")) {
            return Long.parseLong(fields[0]) * 1024.0;
          }
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // unreadable or unexpected format: report "unknown", never a wrong number
    }
    return Double.NaN;
  }
}
