package io.provisioninghub.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service started from its production jar ({@code target/quarkus-app/quarkus-run.jar}) as a
 * separate process on loopback, configured by system properties, stopped or killed by pid. The
 * public API listens on {@link #port()}, health and metrics on the management port {@link
 * #managementPort()}.
 */
public final class ServiceProcess implements AutoCloseable {

  private final String name;
  private final Path jar;
  private final Map<String, String> properties;
  private final int port;
  private final int managementPort;
  private final Path logFile;
  private Process process;

  private ServiceProcess(
      String name,
      Path jar,
      Map<String, String> properties,
      int port,
      int managementPort,
      Path logFile) {
    this.name = name;
    this.jar = jar;
    this.properties = properties;
    this.port = port;
    this.managementPort = managementPort;
    this.logFile = logFile;
  }

  /** Starts the service and waits until {@code /q/health/ready} on its management port is 200. */
  public static ServiceProcess start(
      String name, Path jar, Map<String, String> properties, Path logFile) {
    int port = Ports.free();
    int management;
    do {
      management = Ports.free();
    } while (management == port);
    ServiceProcess service = new ServiceProcess(name, jar, properties, port, management, logFile);
    service.launch();
    return service;
  }

  private void launch() {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(name + " is not built: " + jar + " is missing");
    }
    List<String> command = new ArrayList<>();
    command.add(Classpaths.javaBinary());
    command.add("-Xmx256m");
    command.add("-Dquarkus.http.host=127.0.0.1");
    command.add("-Dquarkus.http.port=" + port);
    command.add("-Dquarkus.management.host=127.0.0.1");
    command.add("-Dquarkus.management.port=" + managementPort);
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-jar");
    command.add(jar.toString());
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, name + "-stop"));
    awaitReady(Duration.ofSeconds(120));
  }

  /** Starts the same service again, same port and configuration, after a stop or a kill. */
  public void restart() {
    close();
    launch();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Health ({@code /q/health/...}) and metrics ({@code /q/metrics}) live here. */
  public String managementUrl() {
    return "http://127.0.0.1:" + managementPort;
  }

  public int managementPort() {
    return managementPort;
  }

  /** The service's console log (JSON lines when it runs with the prod profile). */
  public Path logFile() {
    return logFile;
  }

  public ProcessHandle handle() {
    return process.toHandle();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** One probe of the readiness endpoint: true on 200, false on any other answer or none. */
  public boolean ready() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening (yet)
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + "; see " + logFile);
      }
      if (ready()) {
        return;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(name + " not ready within " + timeout + "; see " + logFile);
  }

  /** SIGKILL, as a crash would: no shutdown hooks, no offset commits. */
  public void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      waitForExit(Duration.ofSeconds(30));
    }
  }

  /** SIGTERM, then SIGKILL if it has not ended after 30 s. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!waitForExit(Duration.ofSeconds(30))) {
        kill();
      }
    }
  }

  private boolean waitForExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
