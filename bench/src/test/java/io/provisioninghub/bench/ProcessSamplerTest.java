package io.provisioninghub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessSamplerTest {

  private long sink;

  @Test
  void theJitCompilerThreadsOfThisJvmAreFoundAndCounted() {
    // This JVM compiles as it runs the tests: work until its compiler threads show CPU (bounded).
    long pid = ProcessHandle.current().pid();
    Map<Long, Boolean> known = new HashMap<>();
    for (int round = 0;
        round < 500 && total(ProcessSampler.jitThreadTicks(pid, known)) == 0;
        round++) {
      for (int i = 0; i < 100_000; i++) {
        sink += Integer.toString(i).hashCode();
      }
    }
    Map<Long, Long> compilers = ProcessSampler.jitThreadTicks(pid, known);
    assertThat(total(compilers)).isPositive();
    // Every thread seen is remembered, the compiler threads (some may have ended since) as such.
    assertThat(known).containsValue(false);
    assertThat(known.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey))
        .containsAll(compilers.keySet());
    // A process that is gone, or not there, has none.
    assertThat(ProcessSampler.jitThreadTicks(Long.MAX_VALUE, known)).isEmpty();
  }

  private static long total(Map<Long, Long> ticks) {
    return ticks.values().stream().mapToLong(Long::longValue).sum();
  }

  @Test
  void onlyHotSpotCompilerAndSweeperThreadsCount() {
    assertThat(ProcessSampler.isJitThread("C2 CompilerThre")).isTrue();
    assertThat(ProcessSampler.isJitThread("C1 CompilerThre")).isTrue();
    assertThat(ProcessSampler.isJitThread("Sweeper thread")).isTrue();
    assertThat(ProcessSampler.isJitThread("vert.x-eventloo")).isFalse();
    assertThat(ProcessSampler.isJitThread("GC Thread#0")).isFalse();
  }

  @Test
  void aServiceStillCompilingIsNamedAndASettledOneIsNot() {
    Map<String, Map<String, Object>> summary =
        Map.of(
            "gateway", Map.of("avgCpuPercent", 60.0, "jitCpuPercent", 25.0),
            "processor", Map.of("avgCpuPercent", 55.0, "jitCpuPercent", 3.0),
            "registry", Map.of("avgCpuPercent", 2.0, "jitCpuPercent", 1.5),
            "postgres", Map.of("avgCpuPercent", 40.0, "jitCpuPercent", 0.0));
    assertThat(ProcessSampler.stillWarming(summary)).containsExactly("gateway");
  }
}
