package io.provisioninghub.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.DeadLetters;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.phubctl.Phubctl;
import io.provisioninghub.testkit.ServiceProcess;
import io.provisioninghub.testkit.TopicProbe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fault injection against the real system: production jars, a real broker and PostgreSQL, each
 * killed (SIGKILL) or restarted under SCIM write load, then the invariants checked in PostgreSQL
 * and on the topics. The reduced run (default, part of every build) uses small volumes and one
 * shared system; {@code -Dphub.chaos.full=true} runs the full volumes. Numbers go to {@code
 * target/chaos-report.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {

  static final boolean FULL = Boolean.getBoolean("phub.chaos.full");

  /** Volumes of one run. */
  record Scale(
      int userThreads,
      int groupThreads,
      double writesPerSecond,
      int writes,
      Duration loadTime,
      Duration brokerDown,
      Duration databaseDown,
      Duration auditDown) {}

  static final Scale SCALE =
      FULL
          ? new Scale(
              16,
              4,
              170,
              5_000,
              Duration.ofSeconds(30),
              Duration.ofSeconds(15),
              Duration.ofSeconds(15),
              Duration.ofMinutes(2))
          : new Scale(
              6,
              2,
              60,
              400,
              Duration.ofSeconds(6),
              Duration.ofSeconds(10),
              Duration.ofSeconds(4),
              Duration.ofSeconds(5));

  static ChaosSystem system;
  static Invariants invariants;
  static final List<String> report = new ArrayList<>();
  static final Map<String, Map<String, String>> tenantsByScenario = new LinkedHashMap<>();
  static Load auditDownLoad;
  static long auditKilledAt;
  static Load gatewayKillLoad;

  @BeforeAll
  static void start() {
    long started = System.nanoTime();
    system = ChaosSystem.start();
    invariants = new Invariants(system);
    for (String scenario : List.of("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8")) {
      Map<String, String> tokens = new LinkedHashMap<>();
      // Several tenants where the load is spread over them; one elsewhere, to start quicker.
      int count = Set.of("s1", "s6").contains(scenario) ? 3 : 1;
      for (int i = 0; i < count; i++) {
        String tenant = "chaos-" + scenario + "-" + i + "-" + system.runId;
        tokens.put(tenant, system.onboard(tenant));
      }
      tenantsByScenario.put(scenario, tokens);
    }
    // The gateway learns tenants from the registry's topic: wait until it knows the last one.
    Map<String, String> last = tenantsByScenario.get("s8");
    Load probe = load("probe", last, 0, 0, 1);
    String tenant = last.keySet().iterator().next();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> probe.read(tenant, "/Users?count=1").status == 200);
    report.add(
        "- system started in "
            + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)
            + " s ("
            + (FULL ? "full" : "reduced")
            + " run)");
  }

  @AfterAll
  static void stop() throws IOException {
    if (system != null) {
      system.close();
    }
    String text = String.join("\n", report) + "\n";
    System.out.println("chaos report\n" + text);
    Files.writeString(Path.of("target", "chaos-report.md"), text);
  }

  static Load load(
      String name, Map<String, String> tokens, int users, int groups, double writesPerSecond) {
    return new Load(
        name + "-" + system.runId,
        tokens,
        system.scimBaseUrl(),
        users,
        groups,
        writesPerSecond,
        SCALE.writes());
  }

  static Load standardLoad(String scenario) {
    return load(
        scenario,
        tenantsByScenario.get(scenario),
        SCALE.userThreads(),
        SCALE.groupThreads(),
        SCALE.writesPerSecond());
  }

  /** Waits, bounded, until the load has writes acknowledged, so the fault meets a running load. */
  static void awaitRunning(Load load) {
    await().atMost(Duration.ofSeconds(60)).until(() -> load.acknowledged.get() >= 20);
  }

  static void sleep(Duration d) {
    // The fault schedule: how long the load runs before and after a fault, not a wait for Kafka.
    Load.sleepNanos(d.toNanos());
  }

  /** Checks every invariant for a finished load; records its numbers. */
  static void verify(String scenario, Load load, boolean withAudit, String extra) throws Exception {
    Set<String> tenants = load.tokens.keySet();
    assertThat(load.violations).as(load.name + " contract violations").isEmpty();
    assertThat(invariants.allCommandsProcessed(tenants)).as("lost commands").isEmpty();
    assertThat(invariants.storeMatches(List.of(load))).as("store vs acknowledged").isEmpty();
    assertThat(invariants.nothingDeadLettered(tenants)).isEmpty();
    if (withAudit) {
      assertThat(invariants.auditComplete(tenants)).as("audit").isEmpty();
    }
    report.add(
        "- "
            + scenario
            + ": "
            + load.summary()
            + String.format(
                "; commands on topic %d (distinct %d), lost %d, duplicated %d%s%s",
                invariants.commandsOnTopic,
                invariants.distinctCommands,
                invariants.lost,
                invariants.duplicated,
                withAudit ? ", audit rows " + invariants.auditRows : "",
                extra.isEmpty() ? "" : "; " + extra));
  }

  @Test
  @Order(1)
  void processorKilledUnderLoadLosesAndDuplicatesNothing() throws Exception {
    Load load = standardLoad("s1").start();
    sleep(SCALE.loadTime().dividedBy(3));
    ServiceProcess processor = system.processor();
    long killedAt = System.nanoTime();
    processor.kill();
    long ackedBefore = load.acknowledged.get();
    processor.restart();
    long back = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> load.lastAckNanos.get() > back && load.acknowledged.get() > ackedBefore);
    long recovered = load.lastAckNanos.get();
    sleep(SCALE.loadTime().dividedBy(3));
    load.stopAndJoin();
    verify(
        "1 processor SIGKILL",
        load,
        true,
        String.format(
            "processor down (kill to ready) %d ms, first acknowledgement %d ms after it was ready",
            TimeUnit.NANOSECONDS.toMillis(back - killedAt),
            TimeUnit.NANOSECONDS.toMillis(recovered - back)));
  }

  @Test
  @Order(2)
  void brokerKilledUnderLoadFailsFastAndRecovers() throws Exception {
    Load load = standardLoad("s2").start();
    awaitRunning(load);
    AtomicBoolean brokerDown = new AtomicBoolean(true);
    AtomicInteger notReadyProbes = new AtomicInteger();
    Thread readiness =
        new Thread(
            () -> {
              while (brokerDown.get()) {
                if (!system.gateway.ready()) {
                  notReadyProbes.incrementAndGet();
                }
                Load.sleepNanos(TimeUnit.MILLISECONDS.toNanos(500));
              }
            });
    system.infra.kafka().kill();
    long unavailableBefore = load.unavailable.get();
    readiness.start();
    sleep(SCALE.brokerDown());
    brokerDown.set(false);
    readiness.join();
    long unavailableWhileDown = load.unavailable.get() - unavailableBefore;
    system.infra.kafka().restart();
    long back = System.nanoTime();
    long ackedAtReturn = load.acknowledged.get();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> load.acknowledged.get() > ackedAtReturn + 10);
    long recovered = load.lastAckNanos.get();
    sleep(Duration.ofSeconds(2));
    load.stopAndJoin();
    verify(
        "2 broker SIGKILL " + SCALE.brokerDown().toSeconds() + " s",
        load,
        true,
        String.format(
            "503s while down %d, slowest 503 %d ms, readiness DOWN in %d probes,"
                + " writes flowing again %d ms after the broker was back",
            unavailableWhileDown,
            load.maxUnavailableMillis.get(),
            notReadyProbes.get(),
            TimeUnit.NANOSECONDS.toMillis(recovered - back)));
    assertThat(unavailableWhileDown).as("writes refused while the broker was gone").isPositive();
    assertThat(notReadyProbes.get()).as("gateway readiness DOWN without the broker").isPositive();
  }

  @Test
  @Order(3)
  void databaseRestartedUnderLoadIsTransient() throws Exception {
    Map<String, String> tokens = tenantsByScenario.get("s3");
    Load load = standardLoad("s3").start();
    awaitRunning(load);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> load.users.stream().anyMatch(u -> u.id != null));
    Load.UserTrack known = load.users.stream().filter(u -> u.id != null).findFirst().orElseThrow();
    long logBefore = Files.size(system.processor().logFile());
    system.infra.postgres().stop();
    long stoppedAt = System.nanoTime();
    Load.Reply read = load.read(known.tenant, "/Users/" + known.id);
    long readMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
    sleep(SCALE.databaseDown());
    system.infra.postgres().restart();
    long back = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> load.read(known.tenant, "/Users/" + known.id).status == 200);
    long readsBack = System.nanoTime();
    sleep(Duration.ofSeconds(2));
    load.stopAndJoin();
    assertThat(read.status).as("a read while the database is down").isEqualTo(503);
    assertThat(read.response.headers().firstValue("Retry-After")).isPresent();
    assertThat(read.body()).contains(Load.ERROR);
    verify(
        "3 PostgreSQL restart",
        load,
        true,
        String.format(
            "read while down: %d in %d ms; reads back %d ms after the database",
            read.status, readMillis, TimeUnit.NANOSECONDS.toMillis(readsBack - back)));
    String processorLog = tail(system.processor().logFile(), logBefore);
    assertThat(processorLog).doesNotContain("dead-lettering");
    assertThat(tokens).isNotEmpty();
  }

  @Test
  @Order(4)
  void auditDownDoesNotAffectProvisioning() throws Exception {
    system.audit.kill();
    auditKilledAt = System.nanoTime();
    auditDownLoad = standardLoad("s5").start();
    sleep(SCALE.auditDown());
    auditDownLoad.stopAndJoin();
    assertThat(auditDownLoad.unavailable.get()).as("503s without the audit log").isZero();
    assertThat(auditDownLoad.violations).isEmpty();
  }

  @Test
  @Order(5)
  void gatewayKilledMidRequestAppliesPublishedCommandsOnce() throws Exception {
    // Unpaced, group-heavy: creates are in flight at any moment.
    gatewayKillLoad =
        load("s4", tenantsByScenario.get("s4"), 2, SCALE.userThreads(), 100_000).start();
    awaitRunning(gatewayKillLoad);
    system.gateway.kill();
    long killedAt = System.nanoTime();
    system.gateway.restart();
    long back = System.nanoTime();
    sleep(Duration.ofSeconds(2));
    gatewayKillLoad.stopAndJoin();
    verify(
        "4 gateway SIGKILL mid-request",
        gatewayKillLoad,
        false,
        String.format(
            "gateway down (kill to ready) %d ms", TimeUnit.NANOSECONDS.toMillis(back - killedAt)));
    assertThat(gatewayKillLoad.cutInFlight.get()).as("requests cut by the kill").isPositive();
  }

  @Test
  @Order(6)
  void auditCatchesUpWithoutGapsOrDuplicates() throws Exception {
    long restarting = System.nanoTime();
    system.audit.restart();
    Set<String> tenants = auditDownLoad.tokens.keySet();
    assertThat(invariants.allCommandsProcessed(tenants)).isEmpty();
    assertThat(invariants.storeMatches(List.of(auditDownLoad))).isEmpty();
    assertThat(invariants.auditComplete(tenants)).isEmpty();
    long caughtUp = System.nanoTime();
    long s5Rows = invariants.auditRows;
    assertThat(invariants.auditComplete(gatewayKillLoad.tokens.keySet())).isEmpty();
    report.add(
        "- 5 audit-log down "
            + TimeUnit.NANOSECONDS.toSeconds(restarting - auditKilledAt)
            + " s (its own load, then the gateway-kill scenario): "
            + auditDownLoad.summary()
            + String.format(
                "; commands %d, audit rows %d after catch-up (%d ms from restart);"
                    + " gateway-kill scenario audited too: %d rows",
                invariants.commandsOnTopic,
                s5Rows,
                TimeUnit.NANOSECONDS.toMillis(caughtUp - restarting),
                invariants.auditRows));
  }

  @Test
  @Order(7)
  void rebalanceBetweenTwoProcessorsKeepsOrderAndOnceOnly() throws Exception {
    Load load = standardLoad("s6").start();
    sleep(SCALE.loadTime().dividedBy(3));
    ServiceProcess first = system.processor();
    system.startProcessor();
    sleep(SCALE.loadTime().dividedBy(3));
    first.kill();
    sleep(SCALE.loadTime().dividedBy(3));
    load.stopAndJoin();
    verify("6 second processor joins, first SIGKILLed", load, true, "");
  }

  @Test
  @Order(8)
  void deadLettersAreListedAndRedrivenAtMostOnce() throws Exception {
    String bootstrap = system.infra.kafka().bootstrapServers();
    String tenant = tenantsByScenario.get("s8").keySet().iterator().next();
    // An unreadable record is set aside with where it came from and why.
    String garbageKey = tenant + "/User/" + UUID.randomUUID();
    TopicProbe.send(
        bootstrap,
        Topics.COMMANDS,
        garbageKey,
        "not a command".getBytes(StandardCharsets.UTF_8),
        new RecordHeaders());
    ConsumerRecord<String, byte[]> dead =
        system.deadLetters.awaitOne(r -> garbageKey.equals(r.key()), Duration.ofSeconds(30));
    for (String h :
        List.of(
            DeadLetters.REASON,
            DeadLetters.ORIGINAL_TOPIC,
            DeadLetters.ORIGINAL_PARTITION,
            DeadLetters.ORIGINAL_OFFSET)) {
      assertThat(dead.headers().lastHeader(h)).as("header " + h).isNotNull();
    }
    assertThat(new String(dead.headers().lastHeader(DeadLetters.ORIGINAL_TOPIC).value()))
        .isEqualTo(Topics.COMMANDS);

    // A command set aside during an outage: re-driven once the cause is gone, twice by mistake.
    String userId = UUID.randomUUID().toString();
    String userName = "redriven-" + system.runId + "@chaos.test";
    ProvisioningCommand command =
        new ProvisioningCommand(
            UUID.randomUUID(),
            tenant,
            ResourceType.User,
            userId,
            Operation.CREATE,
            ContractJson.mapper()
                .readTree(
                    "{\"schemas\":[\"" + Load.USER + "\"],\"userName\":\"" + userName + "\"}"),
            Instant.now(),
            null,
            "scim");
    RecordHeaders headers = new RecordHeaders();
    headers.add(DeadLetters.REASON, "connection refused".getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetters.ORIGINAL_TOPIC, Topics.COMMANDS.getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetters.ORIGINAL_PARTITION, "0".getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetters.ORIGINAL_OFFSET, "0".getBytes(StandardCharsets.UTF_8));
    TopicProbe.send(
        bootstrap, Topics.COMMANDS_DLQ, command.kafkaKey(), ContractJson.toBytes(command), headers);
    ConsumerRecord<String, byte[]> setAside =
        system.deadLetters.awaitOne(
            r -> command.kafkaKey().equals(r.key()), Duration.ofSeconds(30));

    String listing = tool("--bootstrap", bootstrap, "dead-letters", "list", "--all");
    assertThat(listing)
        .contains(setAside.partition() + "@" + setAside.offset())
        .contains(garbageKey)
        .contains("connection refused")
        .doesNotContain(userName); // bodies are never printed
    String[] redrive = {
      "--bootstrap",
      bootstrap,
      "dead-letters",
      "redrive",
      "--operator",
      "chaos-suite",
      "--partition",
      Integer.toString(setAside.partition()),
      "--offset",
      Long.toString(setAside.offset())
    };
    assertThat(tool(redrive)).contains("re-drove");
    await().atMost(Duration.ofSeconds(30)).until(() -> processedCount(command.commandId()) == 1);
    assertThat(tool(redrive)).contains("re-drove");
    // The processor answers a redelivered command with its stored outcome: two outcomes, one
    // change.
    try (TopicProbe outcomes = TopicProbe.open(bootstrap, Topics.OUTCOMES)) {
      outcomes.await(r -> command.kafkaKey().equals(r.key()), 2, Duration.ofSeconds(30));
    }
    assertThat(processedCount(command.commandId())).isEqualTo(1);
    try (Connection c = system.infra.postgres().connect();
        PreparedStatement s =
            c.prepareStatement(
                "select count(*), max(version) from scim.users where tenant_id = ? and user_name = ?")) {
      s.setString(1, tenant);
      s.setString(2, userName);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).as("re-driven twice, stored once").isEqualTo(1);
        assertThat(rs.getLong(2)).as("applied once").isEqualTo(1);
      }
    }
    report.add(
        "- 8 dead letters: unreadable record set aside with reason/topic/partition/offset headers;"
            + " a set-aside command re-driven twice with `dead-letters redrive` is stored once"
            + " (version 1, one processed_commands row)");
  }

  @Test
  @Order(9)
  void gracefulShutdownOfEveryServiceLogsNoErrorAndCommitsOffsets() throws Exception {
    Load load = standardLoad("s7").start();
    awaitRunning(load);
    Map<ServiceProcess, Long> logStart = new LinkedHashMap<>();
    List<ServiceProcess> services = new ArrayList<>();
    services.add(system.gateway);
    services.addAll(system.processors.stream().filter(ServiceProcess::isAlive).toList());
    services.add(system.audit);
    services.add(system.registry);
    for (ServiceProcess s : services) {
      logStart.put(s, Files.size(s.logFile()));
    }
    long stopping = System.nanoTime();
    load.stopSignalled();
    system.gateway.close(); // SIGTERM with requests in flight
    long gatewayStopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
    load.abandonAndJoin();
    assertThat(load.violations)
        .as("answers during shutdown: 2xx or 503 with Retry-After and a SCIM error body")
        .isEmpty();
    // Every request the gateway had taken gets an answer: its outcome, or a 503 once the shutdown
    // grace is over. Only a refused connection (the listener closed) is allowed after that.
    assertThat(load.cutInFlight.get()).as("requests cut in flight by the gateway's stop").isZero();
    String drained = drainLine(system.gateway, logStart.get(system.gateway));
    Set<String> tenants = load.tokens.keySet();
    assertThat(invariants.allCommandsProcessed(tenants)).isEmpty();
    assertThat(invariants.auditComplete(tenants)).isEmpty();
    for (ServiceProcess p : system.processors) {
      p.close();
    }
    Map<TopicPartition, Long> lag = processorLag();
    system.audit.close();
    system.registry.close();
    List<String> errors = new ArrayList<>();
    for (Map.Entry<ServiceProcess, Long> e : logStart.entrySet()) {
      for (String line : tail(e.getKey().logFile(), e.getValue()).split("\n")) {
        if (line.contains(" ERROR ")) {
          errors.add(e.getKey().logFile().getFileName() + ": " + line);
        }
      }
    }
    assertThat(errors).as("ERROR lines logged during shutdown").isEmpty();
    assertThat(lag).as("uncommitted processor offsets after SIGTERM").isEmpty();
    report.add(
        "- 7 SIGTERM of every service: "
            + load.summary()
            + String.format(
                "; abandoned by the client %d; gateway stopped in %d ms (%s); processor lag after"
                    + " stop 0; no ERROR lines",
                load.abandoned.get(), gatewayStopMillis, drained));
  }

  /** The gateway's own account of its drain ("shutting down: ..."), from its log. */
  private static String drainLine(ServiceProcess gateway, long from) throws IOException {
    for (String line : tail(gateway.logFile(), from).split("\n")) {
      int at = line.indexOf("shutting down:");
      if (at >= 0) {
        int end = line.indexOf('"', at);
        return line.substring(at, end < 0 ? line.length() : end);
      }
    }
    return "no drain logged";
  }

  /** Partitions of the commands topic whose committed offset is behind the end. */
  private static Map<TopicPartition, Long> processorLag() throws Exception {
    try (Admin admin = system.infra.kafka().admin()) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets("provisioning-processor")
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest =
          admin
              .describeTopics(List.of(Topics.COMMANDS))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(Topics.COMMANDS)
              .partitions()
              .stream()
              .collect(
                  Collectors.toMap(
                      p -> new TopicPartition(Topics.COMMANDS, p.partition()),
                      p -> OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, Long> lag = new LinkedHashMap<>();
      ends.forEach(
          (tp, end) -> {
            OffsetAndMetadata done = committed.get(tp);
            long behind = end.offset() - (done == null ? 0 : done.offset());
            if (behind > 0) {
              lag.put(tp, behind);
            }
          });
      return lag;
    }
  }

  private static long processedCount(UUID commandId) throws Exception {
    try (Connection c = system.infra.postgres().connect();
        PreparedStatement s =
            c.prepareStatement(
                "select count(*) from scim.processed_commands where command_id = ?")) {
      s.setObject(1, commandId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static String tool(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Phubctl.run(
            args,
            new java.io.PrintWriter(out, true, StandardCharsets.UTF_8),
            new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
    assertThat(code).as("phubctl exit code; stderr: " + err).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String tail(Path file, long from) throws IOException {
    byte[] all = Files.readAllBytes(file);
    return new String(
        all,
        (int) Math.min(from, all.length),
        (int) Math.max(0, all.length - from),
        StandardCharsets.UTF_8);
  }
}
