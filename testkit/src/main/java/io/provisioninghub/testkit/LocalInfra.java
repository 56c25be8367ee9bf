package io.provisioninghub.testkit;

import io.provisioninghub.contracts.TenantRecordSignature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Runs the local stack's broker and database in the foreground until stopped (SIGTERM), writing
 * their addresses to {@code <stateDir>/infra.env}. Data persists in {@code stateDir}.
 *
 * <p>Also writes what the services need to reach Kafka and to trust each other's tenant records,
 * kept private to the user (mode 600):
 *
 * <ul>
 *   <li>{@code kafka/<principal>.properties}: the {@code kafka.*} settings of each service
 *       principal (bootstrap servers; on a secured broker also SASL SCRAM-SHA-512 and its login),
 *       and {@code kafka/dead-letters.client.properties} for the dead-letters CLI ({@code
 *       --command-config});
 *   <li>{@code snapshot-signing-registry.properties} and {@code
 *       snapshot-signing-gateway.properties}: the tenant snapshot signing key (generated once,
 *       kept, so records already on the topic still verify after a restart) and its public half;
 *       {@code snapshot-signing-processor.properties}, {@code
 *       snapshot-signing-graph-sync.properties} and {@code snapshot-signing-saml-jit.properties}:
 *       the public half for the services that act on a tenant's deletion.
 * </ul>
 *
 * <p>Usage: {@code LocalInfra <stateDir>}; {@code PHUB_KAFKA_SECURITY=sasl} starts the broker with
 * authentication and ACLs (the choice is fixed when the broker's data is first created).
 */
public final class LocalInfra {

  private static final String SIGNING_KEY_ID = "local-1";

  private LocalInfra() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Path stateDir = Path.of(args.length > 0 ? args[0] : ".local-stack").toAbsolutePath();
    Path dataDir = stateDir.resolve("data");
    Files.createDirectories(dataDir);
    Path logDir = stateDir.resolve("logs");
    Files.createDirectories(logDir);
    Path envFile = stateDir.resolve("infra.env");
    Files.deleteIfExists(envFile);

    boolean secured = securityMode(dataDir);
    Infrastructure infra = Infrastructure.start(dataDir, logDir, true, secured);
    writeKafkaSettings(stateDir.resolve("kafka"), infra);
    writeSigningKeys(stateDir);
    PostgresServer pg = infra.postgres();
    String env =
        "KAFKA_BOOTSTRAP_SERVERS="
            + infra.kafka().bootstrapServers()
            + "\nKAFKA_SECURITY="
            + (secured ? "sasl" : "plaintext")
            + "\nPG_JDBC_URL="
            + pg.jdbcUrl()
            + "\nPG_REACTIVE_URL="
            + pg.reactiveUrl()
            + "\nPG_USER="
            + pg.user()
            + "\nPG_PASSWORD="
            + pg.password()
            + "\n"
            + infra.exporterUrls().entrySet().stream()
                .map(
                    e ->
                        e.getKey().toUpperCase(java.util.Locale.ROOT)
                            + "_METRICS_URL="
                            + e.getValue()
                            + "\n")
                .collect(java.util.stream.Collectors.joining());
    Path tmp = Files.createTempFile(stateDir, "infra", ".env");
    Files.writeString(tmp, env);
    Files.move(tmp, envFile, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("local infrastructure ready: " + envFile);
    new CountDownLatch(1).await();
  }

  /**
   * Secured or not, as {@code PHUB_KAFKA_SECURITY} asks; a broker's data made in one mode cannot be
   * reused in the other (its SCRAM users are written when the data is formatted).
   */
  private static boolean securityMode(Path dataDir) throws IOException {
    String wanted = System.getenv().getOrDefault("PHUB_KAFKA_SECURITY", "plaintext");
    boolean secured =
        switch (wanted.toLowerCase(Locale.ROOT)) {
          case "sasl", "scram", "true" -> true;
          case "plaintext", "false", "" -> false;
          default ->
              throw new IllegalArgumentException(
                  "PHUB_KAFKA_SECURITY is plaintext or sasl, not " + wanted);
        };
    Path marker = dataDir.resolve("kafka-security");
    String mode = secured ? "sasl" : "plaintext";
    if (Files.exists(marker)) {
      String existing = Files.readString(marker).trim();
      if (!existing.equals(mode)) {
        throw new IllegalStateException(
            "the local broker's data was created with PHUB_KAFKA_SECURITY="
                + existing
                + "; run with that value, or delete "
                + dataDir.resolve("kafka")
                + " and "
                + marker
                + " to start over");
      }
    } else if (Files.exists(dataDir.resolve("kafka").resolve("meta.properties"))
        || Files.exists(dataDir.resolve("kafka").resolve("logs"))) {
      if (secured) {
        throw new IllegalStateException(
            "the local broker's data was created without security; delete "
                + dataDir.resolve("kafka")
                + " to start it with PHUB_KAFKA_SECURITY=sasl");
      }
      Files.writeString(marker, mode);
    } else {
      Files.writeString(marker, mode);
    }
    return secured;
  }

  private static void writeKafkaSettings(Path dir, Infrastructure infra) throws IOException {
    Files.createDirectories(dir);
    for (String principal : KafkaAcls.PRINCIPALS) {
      Map<String, String> settings = infra.kafkaConfig(principal);
      writePrivate(dir.resolve(principal + ".properties"), properties(settings, "kafka."));
      if (principal.equals(KafkaAcls.DEAD_LETTERS)) {
        writePrivate(dir.resolve(principal + ".client.properties"), properties(settings, ""));
      }
    }
  }

  private static void writeSigningKeys(Path stateDir) throws IOException {
    Path privateKeyFile = stateDir.resolve("snapshot-signing.key");
    Path publicKeyFile = stateDir.resolve("snapshot-signing.pub");
    if (!Files.exists(privateKeyFile) || !Files.exists(publicKeyFile)) {
      java.security.KeyPair pair = TenantRecordSignature.generateKeyPair();
      writePrivate(publicKeyFile, TenantRecordSignature.encodePublicKey(pair.getPublic()) + "\n");
      writePrivate(
          privateKeyFile, TenantRecordSignature.encodePrivateKey(pair.getPrivate()) + "\n");
    }
    String privateKey = Files.readString(privateKeyFile).trim();
    String publicKey = Files.readString(publicKeyFile).trim();
    writePrivate(
        stateDir.resolve("snapshot-signing-registry.properties"),
        "phub.registry.snapshot-signing.private-key="
            + privateKey
            + "\nphub.registry.snapshot-signing.key-id="
            + SIGNING_KEY_ID
            + "\n");
    writePrivate(
        stateDir.resolve("snapshot-signing-gateway.properties"),
        "phub.gateway.tenant-snapshots.public-keys=" + SIGNING_KEY_ID + ":" + publicKey + "\n");
    // The services that act on a tenant's deletion trust the same public half.
    for (String[] follower :
        new String[][] {
          {"processor", "phub.processor.purge"},
          {"graph-sync", "phub.graph-sync"},
          {"saml-jit", "phub.saml-jit"}
        }) {
      writePrivate(
          stateDir.resolve("snapshot-signing-" + follower[0] + ".properties"),
          follower[1] + ".tenant-snapshots.public-keys=" + SIGNING_KEY_ID + ":" + publicKey + "\n");
    }
  }

  private static String properties(Map<String, String> settings, String prefix) {
    return settings.entrySet().stream()
            .map(e -> prefix + e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
            .collect(Collectors.joining("\n"))
        + "\n";
  }

  private static void writePrivate(Path file, String content) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), ".tmp", ".properties");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
