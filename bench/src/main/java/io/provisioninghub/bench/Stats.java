package io.provisioninghub.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Latency (microseconds, HdrHistogram) and status counts per operation. */
final class Stats {

  private final Map<String, Recorder> latency = new ConcurrentHashMap<>();
  private final Map<String, Map<Integer, LongAdder>> statuses = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private volatile boolean recording = true;

  void record(String op, long micros, int status, boolean error) {
    if (!recording) {
      return;
    }
    latency.computeIfAbsent(op, k -> new Recorder(3)).recordValue(Math.max(1, micros));
    statuses
        .computeIfAbsent(op, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(status, k -> new LongAdder())
        .increment();
    if (error) {
      errors.computeIfAbsent(op, k -> new LongAdder()).increment();
    }
  }

  /** Stops recording, e.g. during a warm-up; requests still run. */
  void pause() {
    recording = false;
  }

  void resume() {
    recording = true;
  }

  void stop() {
    recording = false;
  }

  /** Per operation: count, throughput, percentiles in ms, statuses, errors. */
  Map<String, Map<String, Object>> summary(double seconds) {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    latency.forEach(
        (op, recorder) -> {
          Histogram h = recorder.getIntervalHistogram();
          Map<String, Object> s = new java.util.LinkedHashMap<>();
          s.put("count", h.getTotalCount());
          s.put("throughputPerSec", round(h.getTotalCount() / seconds));
          s.put("p50Ms", round(h.getValueAtPercentile(50) / 1000.0));
          s.put("p95Ms", round(h.getValueAtPercentile(95) / 1000.0));
          s.put("p99Ms", round(h.getValueAtPercentile(99) / 1000.0));
          s.put("maxMs", round(h.getMaxValue() / 1000.0));
          Map<String, Long> byStatus = new TreeMap<>();
          statuses
              .getOrDefault(op, Map.of())
              .forEach((k, v) -> byStatus.put(k.toString(), v.sum()));
          s.put("statuses", byStatus);
          s.put("errors", errors.containsKey(op) ? errors.get(op).sum() : 0L);
          out.put(op, s);
        });
    return out;
  }

  long totalErrors() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  static double round(double v) {
    return Math.round(v * 100.0) / 100.0;
  }
}
