package io.provisioninghub.bench;

import java.util.Map;

/** The markdown section appended to the benchmark archive ({@code --markdown}) for one run. */
final class Report {

  private Report() {}

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> r) {
    StringBuilder md = new StringBuilder();
    Map<String, Object> machine = (Map<String, Object>) r.get("machine");
    md.append("\n### `")
        .append(r.get("workload"))
        .append("` — ")
        .append(r.get("startedAt"))
        .append(", commit `")
        .append(r.get("commit"))
        .append("`\n\n")
        .append("Command: `")
        .append(r.get("command"))
        .append("`  \nMachine: ")
        .append(machine.get("cores"))
        .append(" cores, ")
        .append(machine.get("memoryGiB"))
        .append(" GiB; ")
        .append(r.get("mode"))
        .append(", ")
        .append(r.get("connections"))
        .append(" connections; load generator and stack on the same machine.\n\n")
        .append(
            "| operation | count | req/s | p50 ms | p95 ms | p99 ms | max ms | statuses | errors |\n")
        .append("|---|---|---|---|---|---|---|---|---|\n");
    ((Map<String, Map<String, Object>>) r.get("operations"))
        .forEach(
            (op, s) ->
                md.append("| ")
                    .append(op)
                    .append(" | ")
                    .append(s.get("count"))
                    .append(" | ")
                    .append(s.get("throughputPerSec"))
                    .append(" | ")
                    .append(s.get("p50Ms"))
                    .append(" | ")
                    .append(s.get("p95Ms"))
                    .append(" | ")
                    .append(s.get("p99Ms"))
                    .append(" | ")
                    .append(s.get("maxMs"))
                    .append(" | ")
                    .append(s.get("statuses"))
                    .append(" | ")
                    .append(s.get("errors"))
                    .append(" |\n"));
    Map<String, Map<String, Object>> processes =
        (Map<String, Map<String, Object>>) r.get("processes");
    if (processes != null && !processes.isEmpty()) {
      md.append(
          "\n| process | peak RSS MB | avg CPU % of one core | of which JIT compiler |\n"
              + "|---|---|---|---|\n");
      processes.forEach(
          (name, s) ->
              md.append("| ")
                  .append(name)
                  .append(" | ")
                  .append(s.get("maxRssMb"))
                  .append(" | ")
                  .append(s.get("avgCpuPercent"))
                  .append(" | ")
                  .append(s.getOrDefault("jitCpuPercent", "–"))
                  .append(" |\n"));
    }
    if (r.get("machineCpuPercent") instanceof Number busy && busy.doubleValue() >= 0) {
      md.append("\nWhole machine over the run: ")
          .append(busy)
          .append(" % of one core busy (every core busy = ")
          .append(100 * Runtime.getRuntime().availableProcessors())
          .append(" %).\n");
    }
    if (r.containsKey("postgresBaselineInsertsPerSec")) {
      md.append("\nPostgreSQL baseline (same database, same moment, single-row durable inserts): ")
          .append(r.get("postgresBaselineInsertsPerSec"))
          .append(" inserts/s.\n");
    }
    if (r.get("notes") instanceof Map<?, ?> notes && !notes.isEmpty()) {
      md.append("\nNotes: ").append(notes).append("\n");
    }
    return md.toString();
  }
}
