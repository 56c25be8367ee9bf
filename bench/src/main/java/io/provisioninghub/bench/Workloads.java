package io.provisioninghub.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** The named workloads. Each runs against {@link Options#baseUrl()} and records into Stats. */
final class Workloads {

  static final Set<Integer> OK = Set.of(200);
  static final Set<Integer> CREATED = Set.of(201);
  static final Set<Integer> WRITTEN = Set.of(200, 204);

  private final Options options;
  private final Stats stats;
  private final Stats setupStats = new Stats();
  private final Scim scim;
  private final Scim setup;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private Tenants tenants;

  Workloads(Options options, Stats stats) {
    this.options = options;
    this.stats = stats;
    // Closed loop: one connection per client; open loop: up to four times as many in flight.
    this.scim = new Scim(options.baseUrl(), stats, 4 * options.connections());
    this.setup = new Scim(options.baseUrl(), setupStats, 4 * options.connections());
  }

  /** Runs the workload; returns notes for the report (e.g. wall time). */
  Map<String, Object> run() throws Exception {
    try {
      return runWorkload();
    } finally {
      scim.close();
      setup.close();
    }
  }

  private Map<String, Object> runWorkload() throws Exception {
    tenants = Tenants.provision(options, run);
    return switch (options.workload()) {
      case "read-heavy" -> readHeavy(false);
      case "read-filter" -> readHeavy(true);
      case "create-users" -> createUsers();
      case "patch-users" -> patchUsers();
      case "entra-initial-sync" -> initialSync();
      case "bulk-initial-sync" -> bulkInitialSync();
      case "entra-incremental" -> incremental();
      case "large-group" -> largeGroup();
      case "webhook-fanout" -> webhookFanout();
      case "graph-sync" -> graphSync();
      default -> throw new IllegalArgumentException("unknown workload " + options.workload());
    };
  }

  private String token() {
    return tenants.token(0);
  }

  private String token(int tenant) {
    return tenants.token(tenant);
  }

  /** Whether the tenants share one token (no admin API): then only names keep them apart. */
  boolean sharedTenants() {
    return tenants.shared;
  }

  private List<String[]> createUsers(int count, String prefix) {
    List<String[]> users = Collections.synchronizedList(new ArrayList<>());
    parallel(
        count,
        i -> {
          String name = prefix + "-" + i + "@" + run + ".example.com";
          Scim.Reply r =
              setup.callSync(
                  "setup POST /Users",
                  token(),
                  "POST",
                  "/Users",
                  Scim.user(name, "x" + i),
                  CREATED);
          if (r.status() == 201) {
            users.add(new String[] {r.id(), name});
          }
        });
    if (users.size() != count) {
      throw new IllegalStateException("setup created " + users.size() + " of " + count + " users");
    }
    return users;
  }

  /**
   * Microsoft Graph delta sync of a generated directory ({@code --users}, {@code --groups}) into
   * the first benchmark tenant, then an incremental round after changes to about 2 % of it: each
   * round's time as graph-sync records it (start to end), with its counts. The Graph simulator
   * listens on {@code --graph-port}, where the stack's graph-sync must look (stack.sh with
   * GRAPH_AUTHORITY_URL=http://127.0.0.1:PORT GRAPH_URL=http://127.0.0.1:PORT/v1.0).
   */
  private Map<String, Object> graphSync() throws Exception {
    if (options.graphSyncBaseUrl() == null || sharedTenants()) {
      throw new IllegalStateException(
          "graph-sync needs the stack's GRAPH_SYNC_BASE_URL and its admin API (ADMIN_TOKEN)");
    }
    String tenant = "bench-" + run + "-0";
    String api = options.graphSyncBaseUrl() + "/tenants/" + tenant + "/graph-sync";
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    Map<String, Object> notes = new java.util.LinkedHashMap<>();
    try (io.provisioninghub.testkit.GraphSimulator graph =
        io.provisioninghub.testkit.GraphSimulator.startOnPort(
            options.users(), options.groups(), 42L, 100, 50, options.graphPort())) {
      int status =
          graphApi(
                  http,
                  "PUT",
                  api,
                  "{\"entraTenantId\":\""
                      + io.provisioninghub.testkit.GraphSimulator.TENANT_ID
                      + "\",\"clientId\":\""
                      + io.provisioninghub.testkit.GraphSimulator.CLIENT_ID
                      + "\",\"clientSecret\":\""
                      + graph.clientSecret()
                      + "\",\"interval\":\"P1D\",\"enabled\":true}")
              .statusCode();
      if (status != 201) {
        throw new IllegalStateException("graph-sync answered " + status + " to the settings");
      }
      // Enabled settings are due at once: the first round starts at graph-sync's next tick.
      com.fasterxml.jackson.databind.JsonNode full = awaitRound(http, api, null);
      notes.put("fullRound", roundNote(full, options.users()));

      List<String> ids = graph.userIds();
      int n = ids.size();
      for (int i = 0; i < n / 100; i++) {
        graph.updateUser(ids.get(i), "jobTitle", "Changed " + i);
      }
      for (int i = n / 100; i < n / 100 + n / 200; i++) {
        graph.disableUser(ids.get(i));
      }
      int from = n / 100 + n / 200;
      for (int i = from; i < from + n / 500; i++) {
        graph.softDeleteUser(ids.get(i));
      }
      from += n / 500;
      for (int i = from; i < from + n / 1000; i++) {
        graph.hardDeleteUser(ids.get(i));
      }
      List<String> groups = graph.groupIds();
      for (int g = 0; g < groups.size(); g += 2) {
        graph.addMember(groups.get(g), ids.get(n - 1 - g));
      }
      notes.put(
          "changes",
          Map.of(
              "updated", n / 100,
              "disabled", n / 200,
              "softDeleted", n / 500,
              "hardDeleted", n / 1000,
              "membershipsAdded", (groups.size() + 1) / 2));
      graphApi(http, "POST", api + "/run", null);
      com.fasterxml.jackson.databind.JsonNode incremental =
          awaitRound(http, api, full.get("roundId").asText());
      notes.put("incrementalRound", roundNote(incremental, n / 50));
      notes.put("graphRequests", graph.graphRequests());
    }
    return notes;
  }

  private java.net.http.HttpResponse<String> graphApi(
      java.net.http.HttpClient http, String method, String url, String json) throws Exception {
    return http.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
            .header("Authorization", "Bearer " + options.adminToken())
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofString(json))
            .build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  /** Polls the status until a round other than {@code previous} is over and none is asked for. */
  private com.fasterxml.jackson.databind.JsonNode awaitRound(
      java.net.http.HttpClient http, String api, String previous) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofMinutes(30).toNanos();
    while (System.nanoTime() < deadline) {
      com.fasterxml.jackson.databind.JsonNode s =
          io.provisioninghub.contracts.ContractJson.mapper()
              .readTree(graphApi(http, "GET", api + "/status", null).body());
      com.fasterxml.jackson.databind.JsonNode last = s.path("lastRound");
      if (last.hasNonNull("roundId")
          && !last.get("roundId").asText().equals(previous)
          && !"running".equals(last.path("status").asText())
          && !s.path("running").asBoolean()
          && !s.path("runRequested").asBoolean()) {
        if (!"succeeded".equals(last.path("status").asText())) {
          throw new IllegalStateException("the Graph sync round failed: " + last.path("error"));
        }
        return last;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("no Graph sync round ended within 30 minutes");
  }

  private static Map<String, Object> roundNote(
      com.fasterxml.jackson.databind.JsonNode round, int objects) {
    double seconds =
        java.time.Duration.between(
                    java.time.Instant.parse(round.get("startedAt").asText()),
                    java.time.Instant.parse(round.get("finishedAt").asText()))
                .toMillis()
            / 1000.0;
    Map<String, Object> note = new java.util.LinkedHashMap<>();
    note.put("kind", round.get("kind").asText());
    note.put("seconds", seconds);
    note.put("usersPerSecond", Math.round(objects / Math.max(seconds, 0.001)));
    note.put(
        "counts",
        io.provisioninghub.contracts.ContractJson.mapper()
            .convertValue(round.get("counts"), Map.class));
    return note;
  }

  /** Lookups by {@code userName eq} filter, and with {@code filterOnly} false as many by id. */
  private Map<String, Object> readHeavy(boolean filterOnly) throws Exception {
    List<String[]> users = createUsers(options.users(), "read");
    AtomicLong n = new AtomicLong();
    Driver.run(
        options,
        stats,
        intended -> {
          String[] u = users.get(ThreadLocalRandom.current().nextInt(users.size()));
          if (filterOnly || n.getAndIncrement() % 2 == 0) {
            return scim.call(
                "GET /Users?filter=userName eq",
                token(),
                "GET",
                Scim.filter("Users", "userName eq \"" + u[1] + "\""),
                null,
                OK,
                intended);
          }
          return scim.call("GET /Users/{id}", token(), "GET", "/Users/" + u[0], null, OK, intended);
        });
    return Map.of("users", users.size());
  }

  private Map<String, Object> createUsers() throws Exception {
    AtomicLong n = new AtomicLong();
    Driver.run(
        options,
        stats,
        intended -> {
          long i = n.getAndIncrement();
          String name = "create-" + i + "@" + run + ".example.com";
          return scim.call(
              "POST /Users",
              token(),
              "POST",
              "/Users",
              options.passwordPolicy() == null
                  ? Scim.user(name, "c" + i)
                  : Scim.userWithPassword(name, "c" + i, "Bench-Passw0rd-" + i),
              CREATED,
              intended);
        });
    return Map.of("created", n.get());
  }

  /**
   * Creates users in a closed or open loop, as {@code create-users}, with a webhook endpoint for
   * every tenant's user creations at a receiver in this process: how many events the webhooks
   * service delivers per second, and the delay from the start of each SCIM POST to its webhook's
   * arrival (p50, p99, max), waiting up to two minutes after the load for the last deliveries.
   */
  private Map<String, Object> webhookFanout() throws Exception {
    String hooks = options.webhooksBaseUrl();
    String admin = options.adminToken();
    if (hooks == null || admin == null) {
      throw new IllegalArgumentException(
          "webhook-fanout needs the webhooks admin API: WEBHOOKS_BASE_URL and ADMIN_TOKEN in the"
              + " stack's credentials.env, or --webhooks-base-url and --admin-token");
    }
    Map<String, Long> sentAt = new java.util.concurrent.ConcurrentHashMap<>();
    Map<String, Long> arrivedAt = new java.util.concurrent.ConcurrentHashMap<>();
    com.sun.net.httpserver.HttpServer receiver =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
    receiver.createContext(
        "/",
        exchange -> {
          String body =
              new String(
                  exchange.getRequestBody().readAllBytes(),
                  java.nio.charset.StandardCharsets.UTF_8);
          long now = System.nanoTime();
          int at = body.indexOf("\"subject\":\"");
          if (at >= 0) {
            int start = at + 11;
            arrivedAt.putIfAbsent(body.substring(start, body.indexOf('"', start)), now);
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> registered =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(hooks + "/endpoints"))
                .header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"url\":\"http://127.0.0.1:"
                            + receiver.getAddress().getPort()
                            + "/\",\"eventTypes\":[\"io.provisioninghub.user.created.v1\"]}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    if (registered.statusCode() != 201) {
      receiver.stop(0);
      throw new IllegalStateException(
          "registering the endpoint failed: " + registered.statusCode() + " " + registered.body());
    }
    String endpoint = new Scim.Reply(201, registered.body()).id();
    try {
      AtomicLong n = new AtomicLong();
      Driver.run(
          options,
          stats,
          intended -> {
            long i = n.getAndIncrement();
            long start = System.nanoTime();
            return scim.call(
                    "POST /Users",
                    token(),
                    "POST",
                    "/Users",
                    Scim.user("hook-" + i + "@" + run + ".example.com", "h" + i),
                    CREATED,
                    intended)
                .thenApply(
                    r -> {
                      if (r.status() == 201) {
                        sentAt.put(r.id(), start);
                      }
                      return r;
                    });
          });
      long deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
      while (!arrivedAt.keySet().containsAll(sentAt.keySet()) && System.nanoTime() < deadline) {
        Thread.sleep(50); // the load generator waits for the stragglers, bounded
      }
      org.HdrHistogram.Histogram delays = new org.HdrHistogram.Histogram(3);
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      int delivered = 0;
      for (var sent : sentAt.entrySet()) {
        Long arrived = arrivedAt.get(sent.getKey());
        if (arrived != null) {
          delivered++;
          delays.recordValue(Math.max(0, (arrived - sent.getValue()) / 1_000));
          first = Math.min(first, arrived);
          last = Math.max(last, arrived);
        }
      }
      double seconds = delivered > 1 ? (last - first) / 1e9 : 0;
      Map<String, Object> notes = new java.util.LinkedHashMap<>();
      notes.put("created", sentAt.size());
      notes.put("webhooksDelivered", delivered);
      notes.put("webhooksMissing", sentAt.size() - delivered);
      notes.put("deliveredPerSecond", seconds > 0 ? Stats.round(delivered / seconds) : 0);
      notes.put("writeToWebhookP50Ms", Stats.round(delays.getValueAtPercentile(50) / 1000.0));
      notes.put("writeToWebhookP99Ms", Stats.round(delays.getValueAtPercentile(99) / 1000.0));
      notes.put("writeToWebhookMaxMs", Stats.round(delays.getMaxValue() / 1000.0));
      if (delivered != sentAt.size()) {
        throw new IllegalStateException(
            (sentAt.size() - delivered) + " webhooks not delivered within two minutes: " + notes);
      }
      return notes;
    } finally {
      http.send(
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create(hooks + "/endpoints/" + endpoint))
              .header("Authorization", "Bearer " + admin)
              .DELETE()
              .build(),
          java.net.http.HttpResponse.BodyHandlers.discarding());
      receiver.stop(0);
    }
  }

  private Map<String, Object> patchUsers() throws Exception {
    List<String[]> users = createUsers(options.users(), "patch");
    Driver.run(
        options,
        stats,
        intended -> {
          String[] u = users.get(ThreadLocalRandom.current().nextInt(users.size()));
          String body =
              Scim.patch(
                  "{\"op\":\"Replace\",\"value\":{\"name.givenName\":\"G"
                      + ThreadLocalRandom.current().nextInt(1_000_000)
                      + "\",\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department\":\"D"
                      + ThreadLocalRandom.current().nextInt(100)
                      + "\"}}");
          return scim.call(
              "PATCH /Users/{id}", token(), "PATCH", "/Users/" + u[0], body, WRITTEN, intended);
        });
    return Map.of("users", users.size());
  }

  /**
   * Entra's initial cycle per tenant: for each user a filter on userName (a miss), then a POST;
   * then each group is created and filled by PATCHes adding members in batches.
   */
  private Map<String, Object> initialSync() throws Exception {
    long start = System.nanoTime();
    ConcurrentLinkedQueue<Runnable> userWork = new ConcurrentLinkedQueue<>();
    List<List<String>> created = new ArrayList<>();
    for (int t = 0; t < options.tenants(); t++) {
      List<String> ids = Collections.synchronizedList(new ArrayList<>());
      created.add(ids);
      for (int u = 0; u < options.users(); u++) {
        String name = "t" + t + "-u" + u + "@" + run + ".example.com";
        String externalId = "t" + t + "-" + u;
        int tenantIndex = t;
        userWork.add(
            () -> {
              scim.callSync(
                  "GET /Users?filter=userName eq (miss)",
                  token(tenantIndex),
                  "GET",
                  Scim.filter("Users", "userName eq \"" + name + "\""),
                  null,
                  OK);
              Scim.Reply r =
                  scim.callSync(
                      "POST /Users",
                      token(tenantIndex),
                      "POST",
                      "/Users",
                      Scim.user(name, externalId),
                      CREATED);
              if (r.status() == 201) {
                ids.add(r.id());
              }
            });
      }
    }
    drain(userWork);
    ConcurrentLinkedQueue<Runnable> groupWork = new ConcurrentLinkedQueue<>();
    for (int t = 0; t < options.tenants(); t++) {
      List<String> ids = created.get(t);
      for (int g = 0; g < options.groups(); g++) {
        String name = "t" + t + "-g" + g + "-" + run;
        int offset = g;
        int tenantIndex = t;
        groupWork.add(
            () -> {
              Scim.Reply r =
                  scim.callSync(
                      "POST /Groups",
                      token(tenantIndex),
                      "POST",
                      "/Groups",
                      Scim.group(name),
                      CREATED);
              if (r.status() != 201) {
                return;
              }
              String groupId = r.id();
              List<String> members = new ArrayList<>();
              for (int m = 0; m < Math.min(options.members(), ids.size()); m++) {
                members.add(ids.get((offset * 7 + m) % ids.size()));
              }
              for (int from = 0; from < members.size(); from += options.batch()) {
                List<String> batch =
                    members.subList(from, Math.min(members.size(), from + options.batch()));
                scim.callSync(
                    "PATCH /Groups add members (batch)",
                    token(tenantIndex),
                    "PATCH",
                    "/Groups/" + groupId,
                    Scim.addMembers(batch),
                    WRITTEN);
              }
            });
      }
    }
    drain(groupWork);
    double wall = (System.nanoTime() - start) / 1e9;
    long objects = (long) options.tenants() * (options.users() + options.groups());
    return Map.of(
        "wallTimeSeconds",
        Stats.round(wall),
        "objects",
        objects,
        "minutesPerObject",
        Stats.round(wall / 60.0 / objects * 10_000) / 10_000.0);
  }

  /**
   * The same objects as {@code entra-initial-sync} through {@code POST /Bulk}: each tenant's users
   * in requests of {@code --bulk-operations} creates, then its groups, each created with its
   * members in one operation, as many per request. Compares with the one-request-per-object sync.
   */
  private Map<String, Object> bulkInitialSync() throws Exception {
    long start = System.nanoTime();
    ConcurrentLinkedQueue<Runnable> userWork = new ConcurrentLinkedQueue<>();
    List<List<String>> created = new ArrayList<>();
    int perRequest = Math.max(1, options.bulkOperations());
    for (int t = 0; t < options.tenants(); t++) {
      List<String> ids = Collections.synchronizedList(new ArrayList<>());
      created.add(ids);
      int tenantIndex = t;
      for (int from = 0; from < options.users(); from += perRequest) {
        List<String> ops = new ArrayList<>();
        for (int u = from; u < Math.min(options.users(), from + perRequest); u++) {
          String name = "t" + t + "-u" + u + "@" + run + ".example.com";
          ops.add(
              Scim.bulkOperation("POST", "/Users", "u" + u, Scim.user(name, "t" + t + "-" + u)));
        }
        userWork.add(() -> ids.addAll(bulk("POST /Bulk (user creates)", token(tenantIndex), ops)));
      }
    }
    drain(userWork);
    ConcurrentLinkedQueue<Runnable> groupWork = new ConcurrentLinkedQueue<>();
    for (int t = 0; t < options.tenants(); t++) {
      List<String> ids = created.get(t);
      int tenantIndex = t;
      for (int from = 0; from < options.groups(); from += perRequest) {
        List<String> ops = new ArrayList<>();
        for (int g = from; g < Math.min(options.groups(), from + perRequest); g++) {
          List<String> members = new ArrayList<>();
          for (int m = 0; m < Math.min(options.members(), ids.size()); m++) {
            members.add(ids.get((g * 7 + m) % ids.size()));
          }
          ops.add(
              Scim.bulkOperation(
                  "POST", "/Groups", "g" + g, Scim.group("t" + t + "-g" + g + "-" + run, members)));
        }
        groupWork.add(
            () -> bulk("POST /Bulk (group creates with members)", token(tenantIndex), ops));
      }
    }
    drain(groupWork);
    double wall = (System.nanoTime() - start) / 1e9;
    long objects = (long) options.tenants() * (options.users() + options.groups());
    return Map.of(
        "wallTimeSeconds",
        Stats.round(wall),
        "objects",
        objects,
        "operationsPerBulkRequest",
        perRequest,
        "minutesPerObject",
        Stats.round(wall / 60.0 / objects * 10_000) / 10_000.0);
  }

  /**
   * Sends one bulk request; returns the ids it created. Every operation that did not succeed is
   * recorded as an error of its own, so the run fails as it would on a failed single request.
   */
  private List<String> bulk(String op, String token, List<String> operations) {
    Scim.Reply r = scim.callSync(op, token, "POST", "/Bulk", Scim.bulk(operations), OK);
    List<String> ids = new ArrayList<>();
    if (r.status() != 200) {
      return ids;
    }
    for (var result : r.json().path("Operations")) {
      int status = Integer.parseInt(result.path("status").asText("0"));
      if (status == 201) {
        String location = result.path("location").asText();
        ids.add(location.substring(location.lastIndexOf('/') + 1));
      } else {
        stats.record("bulk operation not created", 0, status, true);
      }
    }
    return ids;
  }

  /** Day-to-day changes: attribute PATCHes, disables, manager changes, member removes, deletes. */
  private Map<String, Object> incremental() throws Exception {
    List<String[]> users = createUsers(options.users(), "inc");
    List<String> groupIds = new ArrayList<>();
    for (int g = 0; g < options.groups(); g++) {
      Scim.Reply r =
          setup.callSync(
              "setup POST /Groups",
              token(),
              "POST",
              "/Groups",
              Scim.group("inc-g" + g + "-" + run),
              CREATED);
      groupIds.add(r.id());
      List<String> ids = users.stream().map(u -> u[0]).toList();
      for (int from = 0; from < ids.size(); from += 100) {
        setup.callSync(
            "setup PATCH /Groups",
            token(),
            "PATCH",
            "/Groups/" + r.id(),
            Scim.addMembers(ids.subList(from, Math.min(ids.size(), from + 100))),
            WRITTEN);
      }
    }
    AtomicLong n = new AtomicLong();
    ConcurrentLinkedQueue<String[]> deletable =
        new ConcurrentLinkedQueue<>(users.subList(users.size() / 2, users.size()));
    Driver.run(
        options,
        stats,
        intended -> {
          long i = n.getAndIncrement();
          ThreadLocalRandom rnd = ThreadLocalRandom.current();
          String[] u = users.get(rnd.nextInt(users.size() / 2));
          int kind = (int) (i % 10);
          if (kind < 4) {
            return scim.call(
                "PATCH user attribute",
                token(),
                "PATCH",
                "/Users/" + u[0],
                Scim.patch(
                    "{\"op\":\"Replace\",\"path\":\"name.givenName\",\"value\":\"N"
                        + rnd.nextInt(1000)
                        + "\"}"),
                WRITTEN,
                intended);
          } else if (kind < 6) {
            return scim.call(
                "PATCH user active False/True",
                token(),
                "PATCH",
                "/Users/" + u[0],
                Scim.patch(
                    "{\"op\":\"Replace\",\"path\":\"active\",\"value\":\""
                        + (rnd.nextBoolean() ? "False" : "True")
                        + "\"}"),
                WRITTEN,
                intended);
          } else if (kind < 7) {
            String manager = users.get(rnd.nextInt(users.size() / 2))[0];
            return scim.call(
                "PATCH user manager",
                token(),
                "PATCH",
                "/Users/" + u[0],
                Scim.patch(
                    "{\"op\":\"Add\",\"path\":\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager\",\"value\":\""
                        + manager
                        + "\"}"),
                WRITTEN,
                intended);
          } else if (kind < 9) {
            String group = groupIds.get(rnd.nextInt(groupIds.size()));
            return scim.call(
                "PATCH group remove member",
                token(),
                "PATCH",
                "/Groups/" + group,
                Scim.removeMember(u[0]),
                WRITTEN,
                intended);
          }
          String[] victim = deletable.poll();
          if (victim == null) {
            return scim.call(
                "GET /Users/{id}", token(), "GET", "/Users/" + u[0], null, OK, intended);
          }
          return scim.call(
              "DELETE user", token(), "DELETE", "/Users/" + victim[0], null, Set.of(204), intended);
        });
    return Map.of("users", users.size(), "groups", groupIds.size());
  }

  /**
   * Adding and removing one member on groups of each size. The members of the big groups are seeded
   * straight into the database (setup, not measured); the measured PATCHes go through the whole
   * system.
   */
  private Map<String, Object> largeGroup() throws Exception {
    List<String[]> users = createUsers(Math.max(50, options.connections() * 4), "lg");
    Stack stack = Stack.read(options.stackDir());
    String tenant;
    try (Connection c = stack.connect();
        PreparedStatement s = c.prepareStatement("select tenant_id from scim.users where id = ?")) {
      s.setObject(1, UUID.fromString(users.get(0)[0]));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        tenant = rs.getString(1);
      }
    }
    Map<String, Object> notes = new java.util.LinkedHashMap<>();
    for (int size : options.sizes()) {
      String groupId =
          setup
              .callSync(
                  "setup POST /Groups",
                  token(),
                  "POST",
                  "/Groups",
                  Scim.group("lg-" + size + "-" + run),
                  CREATED)
              .id();
      try (Connection c = stack.connect();
          PreparedStatement s =
              c.prepareStatement(
                  "insert into scim.group_members (tenant_id, group_id, member_id, member_type)"
                      + " select ?, ?, gen_random_uuid(), 'User' from generate_series(1, ?)")) {
        s.setString(1, tenant);
        s.setObject(2, UUID.fromString(groupId));
        s.setInt(3, size);
        s.executeUpdate();
      }
      AtomicLong n = new AtomicLong();
      // Each client owns distinct users, so an add is always a real add and a remove a real remove.
      Driver.run(
          options,
          stats,
          intended -> {
            long i = n.getAndIncrement();
            String[] u = users.get((int) ((i / 2) % users.size()));
            if (i % 2 == 0) {
              return scim.call(
                  "PATCH /Groups add 1 member (size " + size + ")",
                  token(),
                  "PATCH",
                  "/Groups/" + groupId,
                  Scim.addMembers(List.of(u[0])),
                  WRITTEN,
                  intended);
            }
            return scim.call(
                "PATCH /Groups remove 1 member (size " + size + ")",
                token(),
                "PATCH",
                "/Groups/" + groupId,
                Scim.removeMember(u[0]),
                WRITTEN,
                intended);
          });
      notes.put("group" + size, groupId);
    }
    return notes;
  }

  /** Runs the queued work on {@code connections} threads until the queue is empty. */
  private void drain(ConcurrentLinkedQueue<Runnable> work) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < options.connections(); i++) {
      Thread t =
          new Thread(
              () -> {
                Runnable r;
                while ((r = work.poll()) != null) {
                  r.run();
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  private void parallel(int count, java.util.function.IntConsumer body) {
    ConcurrentLinkedQueue<Runnable> work = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < count; i++) {
      int index = i;
      work.add(() -> body.accept(index));
    }
    try {
      drain(work);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The local stack's database, from {@code infra.env}. */
  record Stack(String jdbcUrl, String user, String password) {
    static Stack read(java.nio.file.Path dir) throws java.io.IOException {
      java.util.Properties p = new java.util.Properties();
      try (var in = java.nio.file.Files.newBufferedReader(dir.resolve("infra.env"))) {
        p.load(in);
      }
      return new Stack(
          p.getProperty("PG_JDBC_URL"), p.getProperty("PG_USER"), p.getProperty("PG_PASSWORD", ""));
    }

    Connection connect() throws java.sql.SQLException {
      return DriverManager.getConnection(jdbcUrl, user, password);
    }
  }
}
