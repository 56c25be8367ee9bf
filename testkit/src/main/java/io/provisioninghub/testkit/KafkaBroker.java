package io.provisioninghub.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller), run as a child
 * JVM on loopback, or an already running broker named by {@code PHUB_KAFKA_BOOTSTRAP}.
 *
 * <p>Plaintext by default. {@link #startSecured} turns on what production runs with: clients
 * authenticate with SASL SCRAM-SHA-512, the {@code StandardAuthorizer} allows only what an ACL
 * grants, and a super user {@value #ADMIN} (this class's admin client) creates topics, users and
 * ACLs.
 */
public final class KafkaBroker implements AutoCloseable {

  /** The super user of a secured broker. */
  public static final String ADMIN = "admin";

  public static final String SASL_MECHANISM = "SCRAM-SHA-512";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final String bootstrapServers;
  private final Path logFile;
  private final List<String> command;
  private final String adminPassword;
  private final String metricsUrl;
  private volatile Process process;

  private KafkaBroker(
      String bootstrapServers,
      Process process,
      Path logFile,
      List<String> command,
      String adminPassword,
      String metricsUrl) {
    this.bootstrapServers = bootstrapServers;
    this.metricsUrl = metricsUrl;
    this.process = process;
    this.logFile = logFile;
    this.command = command;
    this.adminPassword = adminPassword;
  }

  /** Connects to a broker somebody else runs; {@link #close()} leaves it running. */
  public static KafkaBroker external(String bootstrapServers) {
    KafkaBroker broker = new KafkaBroker(bootstrapServers, null, null, null, null, null);
    broker.awaitReady();
    return broker;
  }

  /**
   * Formats {@code dataDir} (unless already formatted) and starts a plaintext broker on free
   * loopback ports. The child JVM exits by itself if this JVM dies.
   */
  public static KafkaBroker start(Path dataDir, Path logFile) {
    return start(dataDir, logFile, false, false);
  }

  /**
   * As {@link #start(Path, Path)}, with authentication (SASL SCRAM-SHA-512) and authorization
   * (ACLs) on. The super user's password is generated on first start and kept in {@code dataDir}.
   * Create the principals with {@link #createUser} and grant them with {@link #grant}.
   */
  public static KafkaBroker startSecured(Path dataDir, Path logFile) {
    return start(dataDir, logFile, true, false);
  }

  /**
   * Starts a broker as {@link #start(Path, Path)} or {@link #startSecured(Path, Path)}; with {@code
   * exporter} its JVM runs the Prometheus JMX exporter agent with the project's rules ({@code
   * deploy/k8s/base/kafka-jmx-exporter.yml}) on a loopback port kept in {@code dataDir}, as {@link
   * #metricsUrl()}.
   */
  public static KafkaBroker start(Path dataDir, Path logFile, boolean secured, boolean exporter) {
    try {
      Files.createDirectories(dataDir);
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      int[] ports = ports(dataDir);
      int brokerPort = ports[0];
      int controllerPort = ports[1];
      String adminPassword = secured ? adminPassword(dataDir) : null;
      Path config = dataDir.resolve("server.properties");
      Files.writeString(
          config,
          serverProperties(dataDir.resolve("logs"), brokerPort, controllerPort, adminPassword));

      List<String> format = new ArrayList<>();
      format.addAll(
          List.of(
              "kafka.tools.StorageTool",
              "format",
              "--ignore-formatted",
              "--cluster-id=" + clusterId(dataDir),
              "-c",
              config.toString()));
      if (secured) {
        // SCRAM credentials live in the cluster metadata: the super user's is written at format.
        format.add("--add-scram");
        format.add(SASL_MECHANISM + "=[name=" + ADMIN + ",password=" + adminPassword + "]");
      }
      runToCompletion(format, logFile, true);

      List<String> command = javaCommand(false);
      String metricsUrl = null;
      if (exporter) {
        int metricsPort = metricsPort(dataDir);
        Path rules = dataDir.resolve("kafka-jmx-exporter.yml");
        try (var in = KafkaBroker.class.getResourceAsStream("kafka-jmx-exporter.yml")) {
          if (in == null) {
            throw new IllegalStateException("testkit was built without kafka-jmx-exporter.yml");
          }
          Files.copy(in, rules, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        // Before -cp: the agent's own jar, its loopback port and the rules.
        command.add(
            1,
            "-javaagent:"
                + Classpaths.jar("jmx_prometheus_javaagent")
                + "=127.0.0.1:"
                + metricsPort
                + ":"
                + rules);
        metricsUrl = "http://127.0.0.1:" + metricsPort + "/metrics";
      }
      command.addAll(
          List.of(
              ChildMain.class.getName(),
              Long.toString(ProcessHandle.current().pid()),
              "kafka.Kafka",
              config.toString()));
      KafkaBroker broker =
          new KafkaBroker(
              "127.0.0.1:" + brokerPort,
              launch(command, logFile),
              logFile,
              command,
              adminPassword,
              metricsUrl);
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-stop"));
      broker.awaitReady();
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Process launch(List<String> command, Path logFile) throws IOException {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .start();
  }

  /** SIGKILL, as a crash would: the broker's data directory stays as the crash left it. */
  public void kill() {
    requireOwned();
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Starts the broker again after a {@link #kill()} or {@link #close()}: same ports, same data
   * directory, so clients reconnect to the address they had.
   */
  public void restart() {
    requireOwned();
    close();
    try {
      process = launch(command, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitReady();
  }

  private void requireOwned() {
    if (command == null) {
      throw new IllegalStateException("an external broker cannot be stopped or restarted here");
    }
  }

  /** The broker's Prometheus endpoint (JMX exporter agent), if it was started with one. */
  public java.util.Optional<String> metricsUrl() {
    return java.util.Optional.ofNullable(metricsUrl);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The broker's process, or empty for an external broker. */
  public java.util.Optional<ProcessHandle> process() {
    return java.util.Optional.ofNullable(process).map(Process::toHandle);
  }

  /** Creates each topic with the given partition count if it does not exist yet. */
  public void ensureTopics(Map<String, Integer> partitionsByTopic) {
    ensureTopics(partitionsByTopic, Set.of());
  }

  /** As {@link #ensureTopics(Map)}; the topics named in {@code compacted} are log-compacted. */
  public void ensureTopics(Map<String, Integer> partitionsByTopic, Set<String> compacted) {
    try (Admin admin = admin()) {
      List<NewTopic> topics = new ArrayList<>();
      partitionsByTopic.forEach(
          (name, partitions) -> {
            NewTopic topic = new NewTopic(name, partitions, (short) 1);
            if (compacted.contains(name)) {
              topic.configs(Map.of("cleanup.policy", "compact"));
            }
            topics.add(topic);
          });
      admin
          .createTopics(topics)
          .values()
          .forEach(
              (name, future) -> {
                try {
                  future.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                  if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + name, e.getCause());
                  }
                } catch (Exception e) {
                  throw new IllegalStateException("cannot create topic " + name, e);
                }
              });
    }
  }

  /** An admin client; the super user's on a secured broker. */
  public Admin admin() {
    Properties props = new Properties();
    props.putAll(adminConfig());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    return Admin.create(props);
  }

  /** Whether clients must authenticate and ACLs apply. */
  public boolean secured() {
    return adminPassword != null;
  }

  /** Connection settings of the super user (bootstrap servers alone on a plaintext broker). */
  public Map<String, String> adminConfig() {
    return secured()
        ? clientConfig(ADMIN, adminPassword)
        : Map.of("bootstrap.servers", bootstrapServers);
  }

  /**
   * The Kafka client settings of {@code user} on this broker: bootstrap servers, SASL_PLAINTEXT,
   * SCRAM-SHA-512 and the login, exactly what a service sets as {@code kafka.*}.
   */
  public Map<String, String> clientConfig(String user, String password) {
    Map<String, String> config = new java.util.LinkedHashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    if (secured()) {
      config.put("security.protocol", "SASL_PLAINTEXT");
      config.put("sasl.mechanism", SASL_MECHANISM);
      config.put("sasl.jaas.config", jaas(user, password));
    }
    return config;
  }

  /** Creates (or resets the password of) a SCRAM-SHA-512 user on a secured broker. */
  public void createUser(String user, String password) {
    requireSecured();
    try (Admin admin = admin()) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create Kafka user " + user, e);
    }
  }

  /** Adds ACLs (existing ones are kept; adding one twice is harmless). */
  public void grant(java.util.Collection<org.apache.kafka.common.acl.AclBinding> acls) {
    requireSecured();
    try (Admin admin = admin()) {
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create Kafka ACLs", e);
    }
  }

  private void requireSecured() {
    if (!secured()) {
      throw new IllegalStateException("this broker runs without authentication and ACLs");
    }
  }

  static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException(
            "Kafka broker exited with " + process.exitValue() + "; see " + logFile);
      }
      try (Admin admin = admin()) {
        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        last = e;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    close();
    throw new IllegalStateException(
        "Kafka broker at "
            + bootstrapServers
            + " not ready within "
            + READY_TIMEOUT
            + "; see "
            + logFile,
        last);
  }

  /** Stops a broker this class started and waits for its JVM to end. */
  @Override
  public void close() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Ports chosen on first start and kept, so a persistent broker comes back where it was. */
  private static int[] ports(Path dataDir) throws IOException {
    Path file = dataDir.resolve("ports");
    if (Files.exists(file)) {
      String[] saved = Files.readString(file).trim().split(",");
      return new int[] {Integer.parseInt(saved[0]), Integer.parseInt(saved[1])};
    }
    int[] ports = {Ports.free(), Ports.free()};
    Files.writeString(file, ports[0] + "," + ports[1]);
    return ports;
  }

  private static int metricsPort(Path dataDir) throws IOException {
    Path file = dataDir.resolve("metrics.port");
    if (Files.exists(file)) {
      return Integer.parseInt(Files.readString(file).trim());
    }
    int port = Ports.free();
    Files.writeString(file, Integer.toString(port));
    return port;
  }

  private static String clusterId(Path dataDir) throws IOException {
    Path idFile = dataDir.resolve("cluster.id");
    if (Files.exists(idFile)) {
      return Files.readString(idFile).trim();
    }
    UUID uuid = UUID.randomUUID();
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
    bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    Files.writeString(idFile, id);
    return id;
  }

  /** A random password for the super user, kept in the data directory across restarts. */
  private static String adminPassword(Path dataDir) throws IOException {
    Path file = dataDir.resolve("admin.password");
    if (Files.exists(file)) {
      return Files.readString(file).trim();
    }
    String password = UUID.randomUUID().toString().replace("-", "");
    Files.writeString(file, password);
    try {
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system; the data directory is the test's or the developer's own
    }
    return password;
  }

  private static String serverProperties(
      Path logDir, int brokerPort, int controllerPort, String adminPassword) {
    Map<String, String> p = new java.util.LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("controller.listener.names", "CONTROLLER");
    if (adminPassword == null) {
      p.put(
          "listeners",
          "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
      p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
      p.put("inter.broker.listener.name", "PLAINTEXT");
      p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    } else {
      // Clients: SCRAM-SHA-512. Controller: PLAIN (KRaft controllers cannot use SCRAM, whose
      // credentials live in the metadata they serve), the super user on both.
      p.put(
          "listeners",
          "SASL_PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
      p.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + brokerPort);
      p.put("inter.broker.listener.name", "SASL_PLAINTEXT");
      p.put(
          "listener.security.protocol.map",
          "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
      p.put("sasl.mechanism.inter.broker.protocol", SASL_MECHANISM);
      p.put("sasl.mechanism.controller.protocol", "PLAIN");
      p.put("listener.name.sasl_plaintext.sasl.enabled.mechanisms", SASL_MECHANISM);
      p.put(
          "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
          jaas(ADMIN, adminPassword));
      p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
      p.put(
          "listener.name.controller.plain.sasl.jaas.config",
          "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
              + ADMIN
              + "\" password=\""
              + adminPassword
              + "\" user_"
              + ADMIN
              + "=\""
              + adminPassword
              + "\";");
      p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
      p.put("super.users", "User:" + ADMIN);
      p.put("allow.everyone.if.no.acl.found", "false");
    }
    p.put("log.dirs", logDir.toAbsolutePath().toString());
    p.put("num.partitions", "4");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "8");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", adminPassword == null ? "true" : "false");
    return p.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\n"))
        + "\n";
  }

  private static List<String> javaCommand(boolean shortLived) {
    List<String> command = new ArrayList<>();
    command.add(Classpaths.javaBinary());
    if (shortLived) {
      command.add("-XX:TieredStopAtLevel=1");
      command.add("-Xmx256m");
    } else {
      command.add("-Xms256m");
      command.add("-Xmx768m");
    }
    command.add("-XX:+UseG1GC");
    command.add("-Djava.awt.headless=true");
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info");
    command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    command.add("-cp");
    command.add(Classpaths.childJvmClasspath());
    return command;
  }

  private static void runToCompletion(List<String> mainAndArgs, Path logFile, boolean shortLived)
      throws IOException {
    List<String> command = javaCommand(shortLived);
    command.addAll(mainAndArgs);
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(mainAndArgs.get(0) + " timed out; see " + logFile);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          mainAndArgs.get(0) + " exited with " + p.exitValue() + "; see " + logFile);
    }
  }
}
