package io.provisioninghub.testkit;

import io.provisioninghub.contracts.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The broker and database one test JVM shares: started on first use, stopped when the JVM ends.
 *
 * <p>To reuse infrastructure that is already running between runs, set {@code PHUB_KAFKA_BOOTSTRAP}
 * (host:port) and/or {@code PHUB_PG_URL} ({@code postgresql://user:password@host:port/db}), as
 * environment variables or as system properties {@code phub.kafka.bootstrap} / {@code phub.pg.url}.
 */
public final class Infrastructure {

  /** Partition counts for the local broker; production sets its own. */
  public static final Map<String, Integer> TOPICS =
      Map.of(
          Topics.COMMANDS, 8,
          Topics.OUTCOMES, 4,
          Topics.COMMANDS_DLQ, 1,
          Topics.EVENTS, 8,
          Topics.TENANTS, 4,
          Topics.CREDENTIAL_USAGE, 1,
          Topics.TENANT_PURGES, 1);

  /** Topics that keep only the latest record per key. */
  public static final Set<String> COMPACTED_TOPICS =
      Set.of(Topics.TENANTS, Topics.CREDENTIAL_USAGE, Topics.TENANT_PURGES);

  private static Infrastructure shared;
  private static Infrastructure secured;
  private static PostgresServer sharedPostgres;

  private final KafkaBroker kafka;
  private final PostgresServer postgres;
  private final boolean ownsPostgres;
  private final Map<String, String> passwords;
  private final PostgresExporter postgresExporter;

  private Infrastructure(
      KafkaBroker kafka,
      PostgresServer postgres,
      boolean ownsPostgres,
      Map<String, String> passwords,
      PostgresExporter postgresExporter) {
    this.kafka = kafka;
    this.postgres = postgres;
    this.ownsPostgres = ownsPostgres;
    this.passwords = passwords;
    this.postgresExporter = postgresExporter;
  }

  /** The JVM-wide instance, started on first call: a plaintext broker. */
  public static synchronized Infrastructure shared() {
    if (shared == null) {
      try {
        Path work = Files.createTempDirectory("phub-testkit-");
        shared = start(work, work, false, false, true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  /**
   * The JVM-wide instance with a secured broker (SASL SCRAM-SHA-512, ACLs as in {@link KafkaAcls},
   * one principal per service), started on first call; it shares the database with {@link
   * #shared()} if that runs. Services get their principal's settings from {@link
   * #quarkusConfig(String)}.
   */
  public static synchronized Infrastructure secured() {
    if (secured == null) {
      try {
        Path work = Files.createTempDirectory("phub-testkit-secured-");
        secured = start(work, work, false, true, true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return secured;
  }

  /**
   * Starts (or connects to) a broker and a database. With {@code persistent} the data lives in
   * {@code workDir} across restarts; otherwise a fresh database is used.
   */
  public static Infrastructure start(Path workDir, boolean persistent) {
    return start(workDir, workDir, persistent, false);
  }

  /** As {@link #start(Path, boolean)}, with the broker's log in {@code logDir}. */
  public static Infrastructure start(Path workDir, Path logDir, boolean persistent) {
    return start(workDir, logDir, persistent, false);
  }

  /**
   * As {@link #start(Path, Path, boolean)}; with {@code secured} the broker requires SASL
   * SCRAM-SHA-512 and applies {@link KafkaAcls}, and every principal of the matrix is created
   * (passwords kept in {@code workDir/kafka}). {@code PHUB_KAFKA_BOOTSTRAP} is not used then.
   */
  public static Infrastructure start(
      Path workDir, Path logDir, boolean persistent, boolean secured) {
    return start(workDir, logDir, persistent, secured, false);
  }

  private static Infrastructure start(
      Path workDir, Path logDir, boolean persistent, boolean secured, boolean sharedDatabase) {
    String bootstrap = setting("phub.kafka.bootstrap", "PHUB_KAFKA_BOOTSTRAP");
    String pgUrl = setting("phub.pg.url", "PHUB_PG_URL");
    // The Kafka and PostgreSQL exporters the dashboards read (local stack, system tests).
    boolean exporters = "true".equalsIgnoreCase(setting("phub.exporters", "PHUB_EXPORTERS"));
    KafkaBroker kafka;
    Map<String, String> passwords = new LinkedHashMap<>();
    if (secured) {
      kafka =
          KafkaBroker.start(workDir.resolve("kafka"), logDir.resolve("kafka.log"), true, exporters);
      for (String principal : KafkaAcls.PRINCIPALS) {
        String password = principalPassword(workDir.resolve("kafka"), principal);
        kafka.createUser(principal, password);
        passwords.put(principal, password);
      }
      kafka.grant(KafkaAcls.matrix());
    } else {
      kafka =
          bootstrap != null
              ? KafkaBroker.external(bootstrap)
              : KafkaBroker.start(
                  workDir.resolve("kafka"), logDir.resolve("kafka.log"), false, exporters);
    }
    kafka.ensureTopics(TOPICS, COMPACTED_TOPICS);
    PostgresServer postgres;
    boolean ownsPostgres;
    if (pgUrl != null) {
      postgres = PostgresServer.external(pgUrl);
      ownsPostgres = true;
    } else if (sharedDatabase) {
      postgres = sharedPostgres();
      ownsPostgres = false;
    } else {
      postgres = PostgresServer.embedded(persistent ? workDir.resolve("pgdata") : null);
      ownsPostgres = true;
    }
    PostgresExporter postgresExporter =
        exporters
            ? PostgresExporter.start(postgres, logDir.resolve("postgres-exporter.log"))
            : null;
    Infrastructure infra =
        new Infrastructure(kafka, postgres, ownsPostgres, passwords, postgresExporter);
    Runtime.getRuntime().addShutdownHook(new Thread(infra::stop, "testkit-infra-stop"));
    return infra;
  }

  /** One embedded database per JVM, whichever broker the tests use. */
  private static synchronized PostgresServer sharedPostgres() {
    if (sharedPostgres == null) {
      PostgresServer pg = PostgresServer.embedded(null);
      Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "testkit-postgres-stop"));
      sharedPostgres = pg;
    }
    return sharedPostgres;
  }

  private static String principalPassword(Path kafkaDir, String principal) {
    Path file = kafkaDir.resolve("principals").resolve(principal + ".password");
    try {
      if (Files.exists(file)) {
        return Files.readString(file).trim();
      }
      Files.createDirectories(file.getParent());
      String password = java.util.UUID.randomUUID().toString().replace("-", "");
      Files.writeString(file, password);
      return password;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public KafkaBroker kafka() {
    return kafka;
  }

  public PostgresServer postgres() {
    return postgres;
  }

  /**
   * The Prometheus endpoints of the infrastructure's exporters by name ({@code kafka}: the JMX
   * exporter agent in the broker; {@code postgres}: the PostgreSQL exporter), when started with
   * {@code PHUB_EXPORTERS=true} ({@code -Dphub.exporters=true}); empty otherwise.
   */
  public Map<String, String> exporterUrls() {
    Map<String, String> urls = new LinkedHashMap<>();
    kafka.metricsUrl().ifPresent(url -> urls.put("kafka", url));
    if (postgresExporter != null) {
      urls.put("postgres", postgresExporter.metricsUrl());
    }
    return urls;
  }

  /**
   * The configuration a Quarkus service needs to use this infrastructure, including the tenant
   * snapshot signing keys ({@link SnapshotSigningKeys#shared()}). On a secured broker use {@link
   * #quarkusConfig(String)}.
   */
  public Map<String, String> quarkusConfig() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl());
    config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
    config.put("quarkus.datasource.username", postgres.user());
    config.put("quarkus.datasource.password", postgres.password());
    config.putAll(SnapshotSigningKeys.shared().quarkusConfig());
    return config;
  }

  /**
   * As {@link #quarkusConfig()}, connecting to Kafka as {@code principal} (one of {@link
   * KafkaAcls#PRINCIPALS}): its {@code kafka.*} settings are what every Kafka client of the service
   * uses.
   */
  public Map<String, String> quarkusConfig(String principal) {
    Map<String, String> config = quarkusConfig();
    kafkaConfig(principal).forEach((k, v) -> config.put("kafka." + k, v));
    return config;
  }

  /** The Kafka client settings of a principal (bootstrap servers alone on a plaintext broker). */
  public Map<String, String> kafkaConfig(String principal) {
    if (!kafka.secured()) {
      return Map.of("bootstrap.servers", kafka.bootstrapServers());
    }
    String password = passwords.get(principal);
    if (password == null) {
      throw new IllegalArgumentException("no Kafka principal " + principal);
    }
    return kafka.clientConfig(principal, password);
  }

  /** Stops the broker, and the database unless it is the JVM-wide one. */
  public void stop() {
    if (postgresExporter != null) {
      postgresExporter.close();
    }
    kafka.close();
    if (ownsPostgres) {
      postgres.close();
    }
  }

  static String setting(String property, String env) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(env);
    }
    return value == null || value.isBlank() ? null : value.trim();
  }
}
