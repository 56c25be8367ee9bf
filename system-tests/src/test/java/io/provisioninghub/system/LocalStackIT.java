package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.testkit.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/local/stack.sh} as a user runs it: up, a user created with the printed URL and
 * token, down, and no process of the stack left behind.
 */
class LocalStackIT {

  @Test
  void upCreateUserDown() throws Exception {
    Path root = Path.of(System.getProperty("phub.root", "..")).toAbsolutePath().normalize();
    Path stateDir = Path.of("target", "local-stack-it").toAbsolutePath();
    Map<String, String> env =
        Map.of(
            "PHUB_STACK_DIR", stateDir.toString(),
            "GATEWAY_PORT", Integer.toString(Ports.free()),
            "PROCESSOR_PORT", Integer.toString(Ports.free()),
            "REGISTRY_PORT", Integer.toString(Ports.free()));
    Path script = root.resolve("deploy/local/stack.sh");
    deleteRecursively(stateDir); // a clean clone's first run, every time
    try {
      assertThat(run(script, "up", env, stateDir)).isZero();

      Properties credentials = new Properties();
      try (var in = Files.newBufferedReader(stateDir.resolve("credentials.env"))) {
        credentials.load(in);
      }
      String baseUrl = credentials.getProperty("SCIM_BASE_URL");
      String token = credentials.getProperty("SCIM_TOKEN");
      assertThat(baseUrl).startsWith("http://127.0.0.1:").endsWith("/scim/v2");
      assertThat(token).startsWith("phub_").hasSizeGreaterThan(32);

      String adminBaseUrl = credentials.getProperty("ADMIN_BASE_URL");
      String adminToken = credentials.getProperty("ADMIN_TOKEN");
      assertThat(adminBaseUrl).startsWith("http://127.0.0.1:").endsWith("/admin/v1");
      Registry registry = new Registry(adminBaseUrl, adminToken);
      Registry.Reply demo = registry.get("/tenants/demo");
      assertThat(demo.status()).as(demo.toString()).isEqualTo(200);
      assertThat(demo.json().get("status").asText()).isEqualTo("ACTIVE");
      assertThat(registry.get("/tenants/demo/credentials").body()).doesNotContain(token);

      Scim scim = new Scim(baseUrl, token);
      Scim.Reply created = scim.createUser(Scim.uniqueName("stack"));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      assertThat(scim.get("/Users/" + created.json().get("id").asText()).status()).isEqualTo(200);
      assertThat(run(script, "status", env, stateDir)).isZero();
    } finally {
      List<Long> pids = pids(stateDir.resolve("pids"));
      List<ProcessHandle> tree = new ArrayList<>();
      pids.forEach(
          pid ->
              ProcessHandle.of(pid)
                  .ifPresent(
                      p -> {
                        tree.add(p);
                        p.descendants().forEach(tree::add);
                      }));
      assertThat(run(script, "down", env, stateDir)).isZero();
      assertThat(tree).as("every process of the stack").isNotEmpty();
      for (ProcessHandle p : tree) {
        p.onExit().get(30, TimeUnit.SECONDS);
        assertThat(p.isAlive()).as("pid %d still alive", p.pid()).isFalse();
      }
      assertThat(stateDir.resolve("credentials.env")).doesNotExist();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static List<Long> pids(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.toString().endsWith(".pid"))
          .map(
              f -> {
                try {
                  return Long.parseLong(Files.readString(f).trim());
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .collect(Collectors.toList());
    }
  }

  private static int run(Path script, String command, Map<String, String> env, Path stateDir)
      throws Exception {
    Files.createDirectories(stateDir);
    ProcessBuilder pb =
        new ProcessBuilder("bash", script.toString(), command)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(
                    stateDir.resolve("stack-" + command + ".out").toFile()));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("stack.sh " + command + " did not finish in 5 minutes");
    }
    return p.exitValue();
  }
}
