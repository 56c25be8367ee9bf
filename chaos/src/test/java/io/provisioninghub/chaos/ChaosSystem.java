package io.provisioninghub.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.AdminTokens;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.ServiceProcess;
import io.provisioninghub.testkit.TopicProbe;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The whole system under fault injection: a broker and a database that can be killed and restarted
 * in place (persistent data, fixed ports), and every service from its production jar, each a
 * process this suite kills or stops by pid.
 */
final class ChaosSystem implements AutoCloseable {

  static final Path LOGS = Path.of("target", "chaos-logs");

  final Infrastructure infra;
  final ServiceProcess registry;
  final ServiceProcess gateway;
  final ServiceProcess audit;

  /** Processor instances; more than one while a rebalance is tested. */
  final List<ServiceProcess> processors = new ArrayList<>();

  final TopicProbe commands;
  final TopicProbe deadLetters;
  final String runId = UUID.randomUUID().toString().substring(0, 8);

  private final Path root;
  private final Map<String, String> processorConfig;
  private final String adminToken;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ChaosSystem(Path work) throws IOException {
    root = Path.of(System.getProperty("phub.root", ".."));
    // Persistent: the broker and the database come back with their data after a kill or a stop.
    infra = Infrastructure.start(work, LOGS, true);
    Map<String, String> common = new LinkedHashMap<>(infra.quarkusConfig());
    AdminTokens adminKeys = AdminTokens.generate();
    adminToken = adminKeys.adminToken();

    Map<String, String> registryConfig = new LinkedHashMap<>(common);
    registryConfig.remove("quarkus.datasource.reactive.url");
    registryConfig.putAll(adminKeys.registryConfig());
    // Required by a production registry: the key that seals the console sign-in's client secrets.
    byte[] signInKey = new byte[32];
    new java.security.SecureRandom().nextBytes(signInKey);
    registryConfig.put(
        "phub.registry.secret-encryption-key",
        java.util.Base64.getEncoder().encodeToString(signInKey));
    // The services start together, each waiting only for the broker and the database; own threads,
    // as the common pool has a single thread on a 2-core machine.
    ExecutorService starter = Executors.newFixedThreadPool(4);
    CompletableFuture<ServiceProcess> registryStart =
        CompletableFuture.supplyAsync(
            () -> start("tenant-registry", "registry", registryConfig), starter);

    processorConfig = new LinkedHashMap<>(common);
    Map<String, String> gatewayConfig = new LinkedHashMap<>(common);
    gatewayConfig.remove("quarkus.datasource.jdbc.url");

    // The support API is not used here; it only needs a key to start.
    Path supportKey = work.resolve("support-public.pem");
    Files.writeString(
        supportKey,
        "-----BEGIN PUBLIC KEY-----\n"
            + adminKeys.registryConfig().get("quarkus.oidc.public-key")
            + "\n-----END PUBLIC KEY-----\n");
    Map<String, String> auditConfig = new LinkedHashMap<>(common);
    auditConfig.remove("quarkus.datasource.reactive.url");
    auditConfig.put("mp.jwt.verify.publickey.location", supportKey.toAbsolutePath().toString());
    CompletableFuture<ServiceProcess> processor =
        CompletableFuture.supplyAsync(
            () -> start("provisioning-processor", "processor-1", processorConfig), starter);
    CompletableFuture<ServiceProcess> gatewayStart =
        CompletableFuture.supplyAsync(
            () -> start("scim-gateway", "gateway", gatewayConfig), starter);
    CompletableFuture<ServiceProcess> auditStart =
        CompletableFuture.supplyAsync(() -> start("audit-log", "audit", auditConfig), starter);
    registry = registryStart.join();
    processors.add(processor.join());
    gateway = gatewayStart.join();
    audit = auditStart.join();
    starter.shutdown();

    commands = TopicProbe.open(infra.kafka().bootstrapServers(), Topics.COMMANDS);
    deadLetters = TopicProbe.open(infra.kafka().bootstrapServers(), Topics.COMMANDS_DLQ);
  }

  static ChaosSystem start() {
    try {
      return new ChaosSystem(Files.createTempDirectory("phub-chaos-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ServiceProcess start(String module, String name, Map<String, String> config) {
    return ServiceProcess.start(
        name,
        root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar"),
        config,
        LOGS.resolve(name + ".log"));
  }

  /** Starts one more processor instance in the same consumer group. */
  ServiceProcess startProcessor() {
    ServiceProcess p =
        start("provisioning-processor", "processor-" + (processors.size() + 1), processorConfig);
    processors.add(p);
    return p;
  }

  ServiceProcess processor() {
    return processors.stream()
        .filter(ServiceProcess::isAlive)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no processor running"));
  }

  String scimBaseUrl() {
    return gateway.baseUrl() + "/scim/v2";
  }

  /** Onboards a tenant through the registry and returns its bearer secret. */
  String onboard(String tenantId) {
    admin(
        "POST",
        "/tenants",
        "{\"id\":\"" + tenantId + "\",\"displayName\":\"Chaos " + tenantId + "\"}",
        201);
    // The suite measures fault tolerance, not the per-tenant rate limit: lift it well above the
    // load.
    admin(
        "PATCH",
        "/tenants/" + tenantId,
        "{\"rateLimit\":{\"requestsPerSecond\":1000,\"burst\":2000}}",
        200);
    JsonNode issued = admin("POST", "/tenants/" + tenantId + "/credentials", "{}", 201);
    return issued.get("secret").asText();
  }

  private JsonNode admin(String method, String path, String json, int expected) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(registry.baseUrl() + "/admin/v1" + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + adminToken)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        throw new IllegalStateException(path + " answered " + response.statusCode());
      }
      return ContractJson.mapper().readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    commands.close();
    deadLetters.close();
    gateway.close();
    processors.forEach(ServiceProcess::close);
    audit.close();
    registry.close();
    infra.stop();
  }
}
