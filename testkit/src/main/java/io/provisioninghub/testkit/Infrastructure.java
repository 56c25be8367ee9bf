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

  private final KafkaBroker kafka;
  private final PostgresServer postgres;

  private Infrastructure(KafkaBroker kafka, PostgresServer postgres) {
    this.kafka = kafka;
    this.postgres = postgres;
  }

  /** The JVM-wide instance, started on first call. */
  public static synchronized Infrastructure shared() {
    if (shared == null) {
      try {
        Path work = Files.createTempDirectory("phub-testkit-");
        shared = start(work, false);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  /**
   * Starts (or connects to) a broker and a database. With {@code persistent} the data lives in
   * {@code workDir} across restarts; otherwise a fresh database is used.
   */
  public static Infrastructure start(Path workDir, boolean persistent) {
    return start(workDir, workDir, persistent);
  }

  /** As {@link #start(Path, boolean)}, with the broker's log in {@code logDir}. */
  public static Infrastructure start(Path workDir, Path logDir, boolean persistent) {
    String bootstrap = setting("phub.kafka.bootstrap", "PHUB_KAFKA_BOOTSTRAP");
    String pgUrl = setting("phub.pg.url", "PHUB_PG_URL");
    KafkaBroker kafka =
        bootstrap != null
            ? KafkaBroker.external(bootstrap)
            : KafkaBroker.start(workDir.resolve("kafka"), logDir.resolve("kafka.log"));
    kafka.ensureTopics(TOPICS, COMPACTED_TOPICS);
    PostgresServer postgres;
    if (pgUrl != null) {
      postgres = PostgresServer.external(pgUrl);
    } else {
      postgres = PostgresServer.embedded(persistent ? workDir.resolve("pgdata") : null);
    }
    Infrastructure infra = new Infrastructure(kafka, postgres);
    Runtime.getRuntime().addShutdownHook(new Thread(infra::stop, "testkit-infra-stop"));
    return infra;
  }

  public KafkaBroker kafka() {
    return kafka;
  }

  public PostgresServer postgres() {
    return postgres;
  }

  /** The configuration a Quarkus service needs to use this infrastructure. */
  public Map<String, String> quarkusConfig() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl());
    config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
    config.put("quarkus.datasource.username", postgres.user());
    config.put("quarkus.datasource.password", postgres.password());
    return config;
  }

  public void stop() {
    kafka.close();
    postgres.close();
  }

  static String setting(String property, String env) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(env);
    }
    return value == null || value.isBlank() ? null : value.trim();
  }
}
