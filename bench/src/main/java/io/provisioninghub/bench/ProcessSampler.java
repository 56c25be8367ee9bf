package io.provisioninghub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Samples, once a second, the resident memory and CPU time of each process the local stack started
 * (from {@code <stack>/pids/*.pid}, with their child processes), of PostgreSQL's server and
 * backends (from the stack's {@code data/pgdata/postmaster.pid}), of the load generator itself, and
 * the whole machine's busy CPU, from /proc. Of each process's CPU, the share of the JVM's JIT
 * compiler threads is noted too: a service still compiling is still warming up, and its CPU is then
 * not yet the cost of the requests (docs/benchmarks.md).
 */
final class ProcessSampler implements AutoCloseable {

  private static final long TICKS_PER_SECOND = 100;

  private final Map<String, Long> roots = new LinkedHashMap<>();
  private final Map<String, Long> maxRssKb = new LinkedHashMap<>();
  private final Map<String, Long> firstTicks = new LinkedHashMap<>();
  private final Map<String, Long> lastTicks = new LinkedHashMap<>();

  /** JIT compiler ticks per process since the first sample, summed thread by thread. */
  private final Map<String, Long> jitTicks = new LinkedHashMap<>();

  /** Whether a thread (by id) is a JIT compiler thread: each thread's name is read once. */
  private final Map<Long, Boolean> jitThreads = new HashMap<>();

  /** The ticks each compiler thread had at the last sample. */
  private final Map<Long, Long> jitSeen = new HashMap<>();

  private long firstBusy = -1;
  private long lastBusy;
  private long firstTotal;
  private long lastTotal;
  private final Thread thread;
  private volatile boolean running = true;
  private final long started = System.nanoTime();
  private volatile long stopped;

  ProcessSampler(Path stackDir) {
    Path pids = stackDir.resolve("pids");
    if (Files.isDirectory(pids)) {
      try (Stream<Path> files = Files.list(pids)) {
        files
            .filter(f -> f.toString().endsWith(".pid"))
            .forEach(
                f -> {
                  try {
                    String name = f.getFileName().toString().replace(".pid", "");
                    roots.put(name, Long.parseLong(Files.readString(f).trim()));
                  } catch (IOException | NumberFormatException e) {
                    // a stale or unreadable pid file: nothing to sample
                  }
                });
      } catch (IOException e) {
        // no stack to sample
      }
    }
    // PostgreSQL daemonizes, so its server and backends are not children of the infra process:
    // they are found from the data directory's postmaster.pid.
    Path postmaster = stackDir.resolve("data").resolve("pgdata").resolve("postmaster.pid");
    if (Files.isRegularFile(postmaster)) {
      try {
        roots.put("postgres", Long.parseLong(Files.readAllLines(postmaster).get(0).trim()));
      } catch (IOException | RuntimeException e) {
        // unreadable: PostgreSQL is left out of the table
      }
    }
    // The harness shares the machine with the stack: its own share is part of the picture.
    roots.put("load generator", ProcessHandle.current().pid());
    thread = new Thread(this::loop, "process-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      long[] machine = machineTicks();
      if (machine != null) {
        if (firstBusy < 0) {
          firstBusy = machine[0];
          firstTotal = machine[1];
        }
        lastBusy = machine[0];
        lastTotal = machine[1];
      }
      roots.forEach(
          (name, pid) -> {
            long rss = 0;
            long ticks = 0;
            // HotSpot starts and stops compiler threads as the load changes, so their ticks are
            // summed as each thread's growth since the last sample (a thread first seen after the
            // first sample grew from zero), never as a difference of totals.
            boolean first = !jitTicks.containsKey(name);
            long jit = 0;
            for (long p : tree(pid)) {
              rss += rssKb(p);
              ticks += cpuTicks(p);
              for (Map.Entry<Long, Long> thread : jitThreadTicks(p, jitThreads).entrySet()) {
                Long before = jitSeen.put(thread.getKey(), thread.getValue());
                if (!first) {
                  jit += thread.getValue() - (before == null ? 0 : before);
                }
              }
            }
            maxRssKb.merge(name, rss, Math::max);
            firstTicks.putIfAbsent(name, ticks);
            lastTicks.put(name, ticks);
            jitTicks.merge(name, jit, Long::sum);
          });
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static List<Long> tree(long pid) {
    List<Long> out = new ArrayList<>();
    ProcessHandle.of(pid)
        .ifPresent(
            h -> {
              out.add(h.pid());
              h.descendants().forEach(d -> out.add(d.pid()));
            });
    return out;
  }

  private static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // process gone
    }
    return 0;
  }

  /** Busy and total ticks of all cores since boot (first line of /proc/stat), or null. */
  private static long[] machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The whole machine's busy CPU over the sampled time, in % of one core (100 × cores when every
   * core is busy), or -1 if /proc/stat is unreadable.
   */
  double machineCpuPercent() {
    long total = lastTotal - firstTotal;
    if (firstBusy < 0 || total <= 0) {
      return -1;
    }
    return Stats.round(
        100.0 * Runtime.getRuntime().availableProcessors() * (lastBusy - firstBusy) / total);
  }

  private static long cpuTicks(long pid) {
    return ticks(Path.of("/proc", Long.toString(pid), "stat"));
  }

  /** User and system ticks from a {@code stat} file of /proc (a process's or a thread's). */
  private static long ticks(Path stat) {
    try {
      String line = Files.readString(stat);
      String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * The ticks of each of the process's HotSpot JIT compiler threads ({@code C1 CompilerThre…},
   * {@code C2 CompilerThre…}) and code sweeper, by thread id; empty for a process that is not a
   * JVM. {@code known} remembers which threads are compiler threads, so a thread's name is read
   * only the first time it is seen.
   */
  static Map<Long, Long> jitThreadTicks(long pid, Map<Long, Boolean> known) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    Map<Long, Long> out = new HashMap<>();
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path task : (Iterable<Path>) threads::iterator) {
        long tid = Long.parseLong(task.getFileName().toString());
        if (known.computeIfAbsent(tid, t -> isJitThread(threadName(task)))) {
          out.put(tid, ticks(task.resolve("stat")));
        }
      }
    } catch (IOException | RuntimeException e) {
      // process gone
    }
    return out;
  }

  static boolean isJitThread(String name) {
    return name.startsWith("C1 CompilerThre")
        || name.startsWith("C2 CompilerThre")
        || name.startsWith("Sweeper thread");
  }

  private static String threadName(Path task) {
    try {
      return Files.readString(task.resolve("comm")).trim();
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Per process: peak RSS (MB), average CPU (% of one core) over the sampled time, and how much of
   * that CPU was the JIT compiler's.
   */
  Map<String, Map<String, Object>> summary() {
    double seconds = ((stopped == 0 ? System.nanoTime() : stopped) - started) / 1e9;
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    maxRssKb.forEach(
        (name, kb) -> {
          Map<String, Object> s = new LinkedHashMap<>();
          s.put("maxRssMb", Stats.round(kb / 1024.0));
          long ticks = lastTicks.getOrDefault(name, 0L) - firstTicks.getOrDefault(name, 0L);
          s.put(
              "avgCpuPercent",
              Stats.round(100.0 * ticks / TICKS_PER_SECOND / Math.max(1, seconds)));
          long jit = jitTicks.getOrDefault(name, 0L);
          s.put(
              "jitCpuPercent", Stats.round(100.0 * jit / TICKS_PER_SECOND / Math.max(1, seconds)));
          out.put(name, s);
        });
    return out;
  }

  /**
   * The processes of a summary that spent over a tenth of their CPU (and at least 5 % of a core) in
   * the JIT compiler.
   */
  static List<String> stillWarming(Map<String, Map<String, Object>> summary) {
    List<String> out = new ArrayList<>();
    summary.forEach(
        (name, s) -> {
          double cpu = ((Number) s.getOrDefault("avgCpuPercent", 0)).doubleValue();
          double jit = ((Number) s.getOrDefault("jitCpuPercent", 0)).doubleValue();
          if (cpu >= 5 && jit > cpu / 10) {
            out.add(name);
          }
        });
    return out;
  }

  @Override
  public void close() {
    running = false;
    stopped = System.nanoTime();
    thread.interrupt();
  }
}
