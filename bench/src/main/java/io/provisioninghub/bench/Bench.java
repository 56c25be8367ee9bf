package io.provisioninghub.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The load generator: drives the SCIM gateway over loopback with a named workload, then writes the
 * result as JSON and, with {@code --markdown}, appends a table to the given file
 * (docs/benchmarks-archive.md). Exits non-zero if any request got an unexpected status.
 */
public final class Bench {

  private Bench() {}

  public static void main(String[] args) throws Exception {
    long errors = run(args);
    System.err.println(errors == 0 ? "no errors" : errors + " request(s) failed");
    System.exit(errors == 0 ? 0 : 1);
  }

  /** Runs one workload as the command line says; returns the number of failed requests. */
  public static long run(String[] args) throws Exception {
    Options options = Options.parse(args);
    Stats stats = new Stats();
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    long t0 = System.nanoTime();
    Map<String, Object> notes;
    Map<String, Map<String, Object>> processes;
    double machineCpu;
    try (ProcessSampler sampler = new ProcessSampler(options.stackDir())) {
      notes = new Workloads(options, stats).run();
      stats.stop();
      sampler.close();
      processes = sampler.summary();
      machineCpu = sampler.machineCpuPercent();
    }
    double measured =
        options.workload().equals("entra-initial-sync")
            ? (System.nanoTime() - t0) / 1e9
            : options.duration().toSeconds();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("workload", options.workload());
    result.put("command", options.commandLine());
    result.put("commit", commit());
    result.put(
        "machine",
        Map.of(
            "cores", Runtime.getRuntime().availableProcessors(),
            "memoryGiB", memoryGiB()));
    result.put("startedAt", started.toString());
    result.put("mode", options.rate() > 0 ? "open-loop " + options.rate() + "/s" : "closed-loop");
    result.put("connections", options.connections());
    result.put("notes", notes);
    result.put("operations", stats.summary(measured));
    result.put("processes", processes);
    result.put("machineCpuPercent", machineCpu);
    if (options.pgBaseline() && Files.exists(options.stackDir().resolve("infra.env"))) {
      result.put(
          "postgresBaselineInsertsPerSec",
          PgBaseline.insertsPerSecond(
              Workloads.Stack.read(options.stackDir()), options.connections(), 10));
    }
    ObjectNode json = ContractJson.mapper().valueToTree(result);
    Files.createDirectories(options.output());
    Path file =
        options
            .output()
            .resolve(options.workload() + "-" + started.toString().replace(':', '-') + ".json");
    Files.writeString(file, json.toPrettyString());
    System.out.println(json.toPrettyString());
    ProcessSampler.stillWarming(processes)
        .forEach(
            name ->
                System.err.println(
                    "warning: "
                        + name
                        + " spent over a tenth of its CPU in the JIT compiler: it is still warming"
                        + " up, so its CPU is not yet the cost of the requests (warm up longer;"
                        + " bench/README.md)"));
    if (options.markdown() != null) {
      Files.writeString(
          options.markdown(),
          Report.markdown(result),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    return stats.totalErrors();
  }

  private static String commit() {
    try {
      Process p =
          new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 ? out : "unknown";
    } catch (IOException | InterruptedException e) {
      return "unknown";
    }
  }

  private static long memoryGiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Math.round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0);
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return -1;
  }
}
