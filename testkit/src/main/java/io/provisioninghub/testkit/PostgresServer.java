package io.provisioninghub.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL: embedded (zonky binaries, default) or external, named by a URL of the form
 * {@code postgresql://user:password@host:port/database}.
 */
public final class PostgresServer implements AutoCloseable {

  public static final String DEFAULT_DATABASE = "provisioninghub";

  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final Path dataDir;
  private EmbeddedPostgres embedded;

  private PostgresServer(
      String host,
      int port,
      String database,
      String user,
      String password,
      Path dataDir,
      EmbeddedPostgres embedded) {
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
    this.dataDir = dataDir;
    this.embedded = embedded;
  }

  /**
   * Starts PostgreSQL from the embedded binaries on a free loopback port. With {@code dataDir} the
   * data survives a restart; without it a fresh temporary cluster is used.
   */
  public static PostgresServer embedded(Path dataDir) {
    EmbeddedPostgres pg = startEmbedded(Ports.free(), dataDir);
    PostgresServer server =
        new PostgresServer(
            "127.0.0.1", pg.getPort(), DEFAULT_DATABASE, "postgres", "", dataDir, pg);
    server.createDatabaseIfMissing();
    return server;
  }

  private static EmbeddedPostgres startEmbedded(int port, Path dataDir) {
    try {
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setPort(port)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("max_connections", "300")
              .setServerConfig("shared_buffers", "256MB")
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on");
      if (dataDir != null) {
        Files.createDirectories(dataDir);
        builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
      }
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Uses a PostgreSQL somebody else runs; {@link #close()} leaves it running. */
  public static PostgresServer external(String url) {
    URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "expected postgresql://user:password@host:port/database, got scheme " + uri.getScheme());
    }
    String user = "postgres";
    String password = "";
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
    }
    String db =
        uri.getPath() == null || uri.getPath().length() <= 1
            ? DEFAULT_DATABASE
            : uri.getPath().substring(1);
    int port = uri.getPort() > 0 ? uri.getPort() : 5432;
    PostgresServer server = new PostgresServer(uri.getHost(), port, db, user, password, null, null);
    server.awaitReachable();
    return server;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** The URL form the Vert.x reactive client takes. */
  public String reactiveUrl() {
    return "postgresql://" + host + ":" + port + "/" + database;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String database() {
    return database;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), user, password);
  }

  /** The postmaster's process, or empty for an external server. */
  public java.util.Optional<ProcessHandle> process() {
    return embedded == null
        ? java.util.Optional.empty()
        : java.util.Optional.ofNullable(embedded.getProcess()).map(Process::toHandle);
  }

  private void createDatabaseIfMissing() {
    String adminUrl = "jdbc:postgresql://" + host + ":" + port + "/postgres";
    try (Connection c = DriverManager.getConnection(adminUrl, user, password);
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
        if (!rs.next()) {
          s.execute("create database " + database);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + database, e);
    }
  }

  private void awaitReachable() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      try (Connection c = connect()) {
        return;
      } catch (SQLException e) {
        last = e;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("PostgreSQL at " + jdbcUrl() + " is not reachable", last);
  }

  /**
   * Stops an embedded server with a persistent data directory (a fast shutdown: open sessions are
   * ended) until {@link #restart()}.
   */
  public synchronized void stop() {
    if (embedded == null || dataDir == null) {
      throw new IllegalStateException("only an embedded server with a data directory can stop");
    }
    close();
  }

  /** Starts the server again on the same port with the same data. */
  public synchronized void restart() {
    stop();
    embedded = startEmbedded(port, dataDir);
  }

  @Override
  public synchronized void close() {
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
