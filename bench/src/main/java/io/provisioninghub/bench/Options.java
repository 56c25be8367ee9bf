package io.provisioninghub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Command-line options of the load generator; see {@code bench/README.md}. */
record Options(
    String workload,
    String baseUrl,
    String token,
    String adminBaseUrl,
    String adminToken,
    String webhooksBaseUrl,
    String graphSyncBaseUrl,
    int graphPort,
    Path stackDir,
    int connections,
    Duration duration,
    Duration warmup,
    int rate,
    int tenants,
    int users,
    int groups,
    int members,
    int batch,
    int bulkOperations,
    List<Integer> sizes,
    boolean pgBaseline,
    String passwordPolicy,
    Path output,
    Path markdown,
    String commandLine) {

  static Options parse(String[] args) throws IOException {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + a);
      }
      String key = a.substring(2);
      String value = "true";
      if (key.contains("=")) {
        value = key.substring(key.indexOf('=') + 1);
        key = key.substring(0, key.indexOf('='));
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      }
      o.put(key, value);
    }
    Path stack = Path.of(o.getOrDefault("stack-dir", ".local-stack"));
    Properties credentials = new Properties();
    Path file = Path.of(o.getOrDefault("credentials", stack.resolve("credentials.env").toString()));
    if (Files.exists(file)) {
      try (var in = Files.newBufferedReader(file)) {
        credentials.load(in);
      }
    }
    String baseUrl = o.getOrDefault("base-url", credentials.getProperty("SCIM_BASE_URL"));
    String token = o.getOrDefault("token", credentials.getProperty("SCIM_TOKEN"));
    if (baseUrl == null || token == null) {
      throw new IllegalArgumentException(
          "no SCIM base URL/token: start the local stack or pass --base-url and --token");
    }
    String host = java.net.URI.create(baseUrl).getHost();
    if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("[::1]")) {
      throw new IllegalArgumentException("the load generator only targets loopback, not " + host);
    }
    return new Options(
        o.getOrDefault("workload", "read-heavy"),
        baseUrl,
        token,
        o.containsKey("no-onboarding")
            ? null
            : o.getOrDefault("admin-base-url", credentials.getProperty("ADMIN_BASE_URL")),
        o.containsKey("no-onboarding")
            ? null
            : o.getOrDefault("admin-token", credentials.getProperty("ADMIN_TOKEN")),
        o.getOrDefault("webhooks-base-url", credentials.getProperty("WEBHOOKS_BASE_URL")),
        o.getOrDefault("graph-sync-base-url", credentials.getProperty("GRAPH_SYNC_BASE_URL")),
        Integer.parseInt(o.getOrDefault("graph-port", "8089")),
        stack,
        Integer.parseInt(o.getOrDefault("connections", "16")),
        duration(o.getOrDefault("duration", "30s")),
        duration(o.getOrDefault("warmup", "5s")),
        Integer.parseInt(o.getOrDefault("rate", "0")),
        Integer.parseInt(o.getOrDefault("tenants", "2")),
        Integer.parseInt(o.getOrDefault("users", "200")),
        Integer.parseInt(o.getOrDefault("groups", "5")),
        Integer.parseInt(o.getOrDefault("members", "20")),
        Integer.parseInt(o.getOrDefault("batch", "25")),
        Integer.parseInt(o.getOrDefault("bulk-operations", "100")),
        java.util.Arrays.stream(o.getOrDefault("sizes", "1000,10000,100000").split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .toList(),
        Boolean.parseBoolean(o.getOrDefault("pg-baseline", "true")),
        passwordPolicy(o.get("password-policy")),
        Path.of(o.getOrDefault("output", "bench/target/results")),
        o.containsKey("markdown") ? Path.of(o.get("markdown")) : null,
        "bench/run.sh " + String.join(" ", args));
  }

  /** {@code ignore} or {@code hash}: creates carry a password and tenants get that policy. */
  static String passwordPolicy(String value) {
    if (value == null || value.equals("none")) {
      return null;
    }
    if (!value.equals("ignore") && !value.equals("hash")) {
      throw new IllegalArgumentException("--password-policy is none, ignore or hash, not " + value);
    }
    return value;
  }

  static Duration duration(String text) {
    String t = text.trim().toLowerCase();
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    if (t.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    if (t.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    return Duration.ofSeconds(Long.parseLong(t));
  }
}
