package io.provisioninghub.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the local stack's broker and database in the foreground until stopped (SIGTERM), writing
 * their addresses to {@code <stateDir>/infra.env}. Data persists in {@code stateDir}.
 *
 * <p>Usage: {@code LocalInfra <stateDir>}
 */
public final class LocalInfra {

  private LocalInfra() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Path stateDir = Path.of(args.length > 0 ? args[0] : ".local-stack").toAbsolutePath();
    Path dataDir = stateDir.resolve("data");
    Files.createDirectories(dataDir);
    Path logDir = stateDir.resolve("logs");
    Files.createDirectories(logDir);
    Path envFile = stateDir.resolve("infra.env");
    Files.deleteIfExists(envFile);

    Infrastructure infra = Infrastructure.start(dataDir, logDir, true);
    PostgresServer pg = infra.postgres();
    String env =
        "KAFKA_BOOTSTRAP_SERVERS="
            + infra.kafka().bootstrapServers()
            + "\nPG_JDBC_URL="
            + pg.jdbcUrl()
            + "\nPG_REACTIVE_URL="
            + pg.reactiveUrl()
            + "\nPG_USER="
            + pg.user()
            + "\nPG_PASSWORD="
            + pg.password()
            + "\n";
    Path tmp = Files.createTempFile(stateDir, "infra", ".env");
    Files.writeString(tmp, env);
    Files.move(tmp, envFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    System.out.println("local infrastructure ready: " + envFile);
    new CountDownLatch(1).await();
  }
}
