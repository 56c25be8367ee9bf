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
 * token, the console in a browser, down, and no process of the stack left behind.
 *
 * <p>CI ({@code .ci/run}) follows the README's quick start: it starts the stack before the tests
 * and keeps it up while they run, then stops it and checks that nothing of it is left. There,
 * {@code PHUB_RUNNING_STACK} names that stack's state directory, and this test drives that stack
 * instead of starting a second one of its own: up and down are then checked by {@code .ci/run}.
 */
class LocalStackIT {

  @Test
  void upCreateUserDown() throws Exception {
    Path root = Path.of(System.getProperty("phub.root", "..")).toAbsolutePath().normalize();
    String running = System.getenv("PHUB_RUNNING_STACK");
    boolean ours = running == null || running.isBlank();
    Path stateDir =
        ours
            ? Path.of("target", "local-stack-it").toAbsolutePath()
            : Path.of(running).toAbsolutePath();
    Map<String, String> env =
        new java.util.HashMap<>(
            Map.of(
                "PHUB_STACK_DIR", stateDir.toString(),
                "GATEWAY_PORT", Integer.toString(Ports.free()),
                "PROCESSOR_PORT", Integer.toString(Ports.free()),
                "REGISTRY_PORT", Integer.toString(Ports.free()),
                "AUDIT_PORT", Integer.toString(Ports.free()),
                "GATEWAY_MGMT_PORT", Integer.toString(Ports.free()),
                "PROCESSOR_MGMT_PORT", Integer.toString(Ports.free()),
                "REGISTRY_MGMT_PORT", Integer.toString(Ports.free()),
                "AUDIT_MGMT_PORT", Integer.toString(Ports.free())));
    env.put("WEBHOOKS_PORT", Integer.toString(Ports.free()));
    env.put("WEBHOOKS_MGMT_PORT", Integer.toString(Ports.free()));
    env.put("CONSOLE_PORT", Integer.toString(Ports.free()));
    env.put("CONSOLE_MGMT_PORT", Integer.toString(Ports.free()));
    env.put("OIDC_PORT", Integer.toString(Ports.free()));
    env.put("GRAPH_SYNC_PORT", Integer.toString(Ports.free()));
    env.put("GRAPH_SYNC_MGMT_PORT", Integer.toString(Ports.free()));
    env.put("SAML_JIT_PORT", Integer.toString(Ports.free()));
    env.put("SAML_JIT_MGMT_PORT", Integer.toString(Ports.free()));
    env.put("GRAPH_SIMULATOR_PORT", Integer.toString(Ports.free()));
    if (!ours) {
      env.clear();
      env.put("PHUB_STACK_DIR", stateDir.toString());
    }
    Path script = root.resolve("deploy/local/stack.sh");
    if (ours) {
      deleteRecursively(stateDir); // a clean clone's first run, every time
    }
    try {
      assertThat(run(script, ours ? "up" : "status", env, stateDir)).isZero();

      Properties credentials = new Properties();
      try (var in = Files.newBufferedReader(stateDir.resolve("credentials.env"))) {
        credentials.load(in);
      }
      String baseUrl = credentials.getProperty("SCIM_BASE_URL");
      // graph-sync runs and answers its admin API (an unknown tenant has no sync: 404).
      String graphSync = credentials.getProperty("GRAPH_SYNC_BASE_URL");
      assertThat(graphSync).startsWith("http://127.0.0.1:").endsWith("/admin/v1");
      assertThat(
              java.net.http.HttpClient.newHttpClient()
                  .send(
                      java.net.http.HttpRequest.newBuilder(
                              java.net.URI.create(graphSync + "/tenants/demo/graph-sync"))
                          .header(
                              "Authorization", "Bearer " + credentials.getProperty("ADMIN_TOKEN"))
                          .build(),
                      java.net.http.HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(404);
      // saml-jit runs: an operator registers the demo tenant's IdP, and the tenant's service
      // provider metadata (what the customer's admin gives Entra ID) names its entity id and ACS.
      String samlJit = credentials.getProperty("SAML_JIT_BASE_URL");
      assertThat(samlJit).startsWith("http://127.0.0.1:");
      // Its entity ids and ACS are under its own loopback address here.
      SamlSignIns saml = new SamlSignIns(samlJit, samlJit);
      io.provisioninghub.samljit.TestIdp testIdp =
          io.provisioninghub.samljit.TestIdp.generate("local-stack-it");
      java.net.http.HttpResponse<String> idp =
          saml.registerIdp("demo", credentials.getProperty("ADMIN_TOKEN"), testIdp);
      assertThat(idp.statusCode()).as(idp.body()).isIn(200, 201);
      java.net.http.HttpResponse<String> metadata =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(samlJit + "/saml/demo/metadata"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(metadata.statusCode()).as(metadata.body()).isEqualTo(200);
      assertThat(metadata.body())
          .contains("entityID=\"" + samlJit + "/saml/demo/metadata\"")
          .contains(samlJit + "/saml/demo/acs");
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
      String userName = Scim.uniqueName("stack");
      Scim.Reply created = scim.createUser(userName);
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      assertThat(scim.get("/Users/" + created.json().get("id").asText()).status()).isEqualTo(200);
      // Metrics on the gateway's management port, printed by the stack.
      assertThat(
              Scrape.text(credentials.getProperty("GATEWAY_METRICS_URL").replace("/q/metrics", "")))
          .contains("phub_scim_requests_seconds_count{")
          .contains("operation=\"create\"");

      // The vendor application's view, with its own token: the user, and its creation in the feed.
      String appBaseUrl = credentials.getProperty("APP_BASE_URL");
      String appToken = credentials.getProperty("APP_TOKEN");
      assertThat(appBaseUrl).startsWith("http://127.0.0.1:").endsWith("/app/v1");
      String createdId = created.json().get("id").asText();
      assertThat(
              bearerGet(appBaseUrl + "/tenants/demo/users/" + createdId, appToken)
                  .get("userName")
                  .asText())
          .isEqualTo(userName);
      com.fasterxml.jackson.databind.JsonNode feed =
          org.awaitility.Awaitility.await()
              .atMost(java.time.Duration.ofSeconds(20))
              .until(
                  () -> bearerGet(appBaseUrl + "/tenants/demo/events?limit=1000", appToken),
                  page -> page.get("items").findValuesAsText("subject").contains(createdId));
      assertThat(feed.toString()).contains("io.provisioninghub.user.created.v1");

      // The README's webhook walk-through: an endpoint for the demo tenant, the receiver script
      // with its secret, a SCIM write, a verified delivery.
      int receiverPort = Ports.free();
      String hooks = credentials.getProperty("WEBHOOKS_BASE_URL");
      java.net.http.HttpResponse<String> endpoint =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(java.net.URI.create(hooks + "/endpoints"))
                      .header("Authorization", "Bearer " + adminToken)
                      .header("Content-Type", "application/json")
                      .POST(
                          java.net.http.HttpRequest.BodyPublishers.ofString(
                              "{\"url\":\"http://127.0.0.1:"
                                  + receiverPort
                                  + "/\",\"tenantId\":\"demo\"}"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(endpoint.statusCode()).as(endpoint.body()).isEqualTo(201);
      String secret =
          io.provisioninghub.contracts.ContractJson.mapper()
              .readTree(endpoint.body())
              .get("secret")
              .asText();
      Path receiverOut = stateDir.resolve("receiver.out");
      Process receiverProcess =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  root.resolve("deploy/local/WebhookReceiver.java").toString(),
                  Integer.toString(receiverPort),
                  secret)
              .redirectErrorStream(true)
              .redirectOutput(receiverOut.toFile())
              .start();
      try {
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(60))
            .until(
                () ->
                    Files.exists(receiverOut)
                        && Files.readString(receiverOut).contains("listening"));
        Scim.Reply hooked = scim.createUser(Scim.uniqueName("hooked"));
        assertThat(hooked.status()).isEqualTo(201);
        String hookedId = hooked.json().get("id").asText();
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(60))
            .until(
                () ->
                    Files.readString(receiverOut)
                        .contains("io.provisioninghub.user.created.v1 " + hookedId));
        assertThat(Files.readString(receiverOut)).contains("verified ").doesNotContain("REFUSED");
      } finally {
        receiverProcess.destroy();
      }

      // Support's view: given the tenant and the user name, every operation and why it failed.
      assertThat(scim.createUser(userName).status()).isEqualTo(409);
      assertThat(scim.filter("Users", "userName eq", null).status()).isEqualTo(400);
      String auditBaseUrl = credentials.getProperty("AUDIT_BASE_URL");
      String supportToken = credentials.getProperty("SUPPORT_TOKEN");
      assertThat(auditBaseUrl).startsWith("http://127.0.0.1:").endsWith("/audit/v1");
      String byUser =
          "/tenants/demo/operations?target=" + java.net.URLEncoder.encode(userName, "UTF-8");
      com.fasterxml.jackson.databind.JsonNode operations =
          org.awaitility.Awaitility.await()
              .atMost(java.time.Duration.ofSeconds(20))
              .until(
                  () -> bearerGet(auditBaseUrl + byUser, supportToken).get("items"),
                  // Both with their outcome: the audit service may have seen a command before
                  // its outcome (it reads both topics in batches).
                  items ->
                      items != null
                          && items.size() == 2
                          && java.util.stream.StreamSupport.stream(items.spliterator(), false)
                              .noneMatch(op -> "pending".equals(op.get("status").asText())));
      com.fasterxml.jackson.databind.JsonNode failure = null;
      for (com.fasterxml.jackson.databind.JsonNode op : operations) {
        if ("failure".equals(op.get("status").asText())) {
          failure = op;
        }
      }
      assertThat(failure).as(operations.toString()).isNotNull();
      assertThat(failure.get("httpStatus").asInt()).isEqualTo(409);
      assertThat(failure.get("scimType").asText()).isEqualTo("uniqueness");
      assertThat(failure.get("reason").asText()).contains("already");
      assertThat(failure.get("recommendedAction").asText()).isNotBlank();
      com.fasterxml.jackson.databind.JsonNode rejected =
          org.awaitility.Awaitility.await()
              .atMost(java.time.Duration.ofSeconds(20))
              .until(
                  () ->
                      bearerGet(
                              auditBaseUrl
                                  + "/tenants/demo/operations?status=rejected&scimType=invalidFilter",
                              supportToken)
                          .get("items"),
                  items -> items != null && items.size() >= 1);
      assertThat(rejected.get(0).get("httpStatus").asInt()).isEqualTo(400);
      assertThat(rejected.get(0).get("operation").asText()).isEqualTo("read");
      // The other two paths into the same pipeline. SAML: a first sign-in at the demo tenant's
      // service provider (an assertion signed by the IdP registered above) creates the user.
      String samlUser = Scim.uniqueName("jit") + "@contoso.example";
      java.net.http.HttpResponse<String> signedIn =
          saml.signIn(
              "demo",
              testIdp.signed(
                  saml.entraResponse(
                      "demo",
                      samlUser,
                      java.util.UUID.randomUUID().toString(),
                      "Vance",
                      samlUser)));
      assertThat(signedIn.statusCode()).as(signedIn.body()).isIn(200, 303);
      Scim.Reply jitUser = scim.filter("Users", "userName eq \"" + samlUser + "\"", null);
      assertThat(jitUser.json().path("totalResults").asInt()).as(jitUser.toString()).isEqualTo(1);
      // Graph: the stack's Graph simulator (GRAPH_SIMULATOR_*) as the demo tenant's directory; a
      // round copies it through the gateway.
      String graphApi = graphSync + "/tenants/demo/graph-sync";
      java.net.http.HttpResponse<String> graphSettings =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(java.net.URI.create(graphApi))
                      .header("Authorization", "Bearer " + adminToken)
                      .header("Content-Type", "application/json")
                      .PUT(
                          java.net.http.HttpRequest.BodyPublishers.ofString(
                              io.provisioninghub.contracts.ContractJson.mapper()
                                  .createObjectNode()
                                  .put(
                                      "entraTenantId",
                                      credentials.getProperty("GRAPH_SIMULATOR_TENANT_ID"))
                                  .put(
                                      "clientId",
                                      credentials.getProperty("GRAPH_SIMULATOR_CLIENT_ID"))
                                  .put(
                                      "clientSecret",
                                      credentials.getProperty("GRAPH_SIMULATOR_CLIENT_SECRET"))
                                  .put("interval", "P1D")
                                  .put("enabled", true)
                                  .toString()))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(graphSettings.statusCode()).as(graphSettings.body()).isIn(200, 201);
      if (graphSettings.statusCode() == 200) {
        // New settings (201) start their first round by themselves; a stack already set up asks.
        java.net.http.HttpResponse<String> run =
            java.net.http.HttpClient.newHttpClient()
                .send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(graphApi + "/run"))
                        .header("Authorization", "Bearer " + adminToken)
                        .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(run.statusCode()).as(run.body()).isEqualTo(202);
      }
      com.fasterxml.jackson.databind.JsonNode round =
          org.awaitility.Awaitility.await()
              .atMost(java.time.Duration.ofSeconds(90))
              .until(
                  () -> bearerGet(graphApi + "/status", adminToken).path("lastRound"),
                  r -> r.hasNonNull("status") && !"running".equals(r.get("status").asText()));
      assertThat(round.get("status").asText()).as(round.toString()).isEqualTo("succeeded");
      assertThat(round.at("/counts/failures").asLong()).as(round.toString()).isZero();
      int directoryUsers = Integer.parseInt(env.getOrDefault("GRAPH_SIMULATOR_USERS", "50"));
      assertThat(
              round.at("/counts/usersCreated").asLong()
                  + round.at("/counts/usersUpdated").asLong()
                  + round.at("/counts/usersUnchanged").asLong())
          .as(round.toString())
          .isEqualTo(directoryUsers);
      assertThat(credentials.getProperty("GRAPH_SIMULATOR_URL")).startsWith("http://127.0.0.1:");
      // The operator pages' local identity provider, as printed for a person to log in with.
      assertThat(credentials.getProperty("OPERATOR_CONSOLE_URL"))
          .startsWith(credentials.getProperty("CONSOLE_URL"))
          .endsWith("/console/operator");
      assertThat(credentials.getProperty("OIDC_ISSUER"))
          .startsWith("http://127.0.0.1:" + (ours ? env.get("OIDC_PORT") + "/" : ""))
          .endsWith("/oidc");
      if (ours) {
        // What up printed (CI's own stack printed it into the CI log).
        assertThat(Files.readString(stateDir.resolve("stack-up.out")))
            .contains("Operator pages: " + credentials.getProperty("OPERATOR_CONSOLE_URL"));
      }
      // Its client secret is in private files only, never on a command line (ps shows those).
      String clientSecret = Files.readString(stateDir.resolve("oidc-client.secret")).trim();
      assertThat(clientSecret).hasSizeGreaterThan(32);
      for (String file : List.of("oidc-client.secret", "console.properties")) {
        assertThat(
                java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(stateDir.resolve(file))))
            .as(file)
            .isEqualTo("rw-------");
      }
      for (long pid : pids(stateDir.resolve("pids"))) {
        ProcessHandle.of(pid)
            .flatMap(p -> p.info().commandLine())
            .ifPresent(line -> assertThat(line).as("pid %d", pid).doesNotContain(clientSecret));
      }
      // The console in a real browser: onboarding from a setup link to this tenant's log, the
      // limits of a customer's session, and the operator's pages (console/e2e).
      ConsoleBrowser.run(root, stateDir, credentials);
      assertThat(run(script, "status", env, stateDir)).isZero();
      if (ours) {
        stopAndCheckNothingIsLeft(script, env, stateDir);
      }
    } finally {
      if (ours && !pids(stateDir.resolve("pids")).isEmpty()) {
        // After a failure above: stop whatever started, without hiding that failure.
        run(script, "down", env, stateDir);
      }
    }
  }

  private static void stopAndCheckNothingIsLeft(Path script, Map<String, String> env, Path stateDir)
      throws Exception {
    List<ProcessHandle> tree = new ArrayList<>();
    pids(stateDir.resolve("pids"))
        .forEach(
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

  private static com.fasterxml.jackson.databind.JsonNode bearerGet(String url, String token)
      throws Exception {
    java.net.http.HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return io.provisioninghub.contracts.ContractJson.mapper().readTree(response.body());
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
    // A first up builds every service (a few minutes on two cores, more on a busy machine).
    if (!p.waitFor(12, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(
          "stack.sh " + command + " did not finish in 12 minutes; see " + stateDir);
    }
    return p.exitValue();
  }
}
