package io.provisioninghub.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The Prometheus PostgreSQL exporter (Debian's {@code prometheus-postgres-exporter}, the upstream
 * postgres_exporter) for a {@link PostgresServer}, on a free loopback port: what the local stack
 * and the system tests scrape for the database panels. The connection string travels in the
 * process's environment, never on its command line. Stopped with this JVM.
 */
public final class PostgresExporter implements AutoCloseable {

  /** Where the binary is unless {@code PHUB_POSTGRES_EXPORTER} names another. */
  public static final List<String> LOCATIONS =
      List.of("/usr/bin/prometheus-postgres-exporter", "/usr/local/bin/postgres_exporter");

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final String metricsUrl;

  private PostgresExporter(Process process, String metricsUrl) {
    this.process = process;
    this.metricsUrl = metricsUrl;
  }

  /** Starts the exporter for {@code postgres} and waits until it reports the database up. */
  public static PostgresExporter start(PostgresServer postgres, Path logFile) {
    Path binary = binary();
    int port = Ports.free();
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      ProcessBuilder builder =
          new ProcessBuilder(
                  binary.toString(),
                  "--web.listen-address=127.0.0.1:" + port,
                  // PostgreSQL 17 renamed the columns this collector of the packaged release reads.
                  "--no-collector.bgwriter")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      builder
          .environment()
          .put(
              "DATA_SOURCE_NAME",
              "postgresql://"
                  + encode(postgres.user())
                  + ":"
                  + encode(postgres.password())
                  + "@"
                  + postgres.host()
                  + ":"
                  + postgres.port()
                  + "/"
                  + postgres.database()
                  + "?sslmode=disable");
      PostgresExporter exporter =
          new PostgresExporter(builder.start(), "http://127.0.0.1:" + port + "/metrics");
      Runtime.getRuntime().addShutdownHook(new Thread(exporter::close, "postgres-exporter-stop"));
      exporter.awaitUp(logFile);
      return exporter;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The binary, or a message that says how to install it. */
  static Path binary() {
    String configured = Infrastructure.setting("phub.postgres-exporter", "PHUB_POSTGRES_EXPORTER");
    if (configured != null) {
      return Path.of(configured);
    }
    return LOCATIONS.stream()
        .map(Path::of)
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no PostgreSQL exporter: apt-get install prometheus-postgres-exporter, or set"
                        + " PHUB_POSTGRES_EXPORTER to a postgres_exporter binary"));
  }

  /** Whether a binary is there to start. */
  public static boolean available() {
    try {
      return Files.isExecutable(binary());
    } catch (IllegalStateException e) {
      return false;
    }
  }

  public String metricsUrl() {
    return metricsUrl;
  }

  private void awaitUp(Path logFile) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("postgres exporter exited; see " + logFile);
      }
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains("\npg_up 1")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        process.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    close();
    throw new IllegalStateException("postgres exporter not up within " + READY_TIMEOUT);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    process.destroy();
  }
}
