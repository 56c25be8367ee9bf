package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.testkit.AdminTokens;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.ServiceProcess;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The system the HTTP tests drive: by default the registry, gateway and processor production jars
 * started once per test JVM against a real broker and database, with two tenants onboarded through
 * the registry's admin API as an operator does it; or, with {@code -Dphub.scim.base-url=...} and
 * {@code -Dphub.scim.token=...} (plus optionally {@code -Dphub.scim.other-token=...} for a second
 * tenant), any running gateway, such as the local stack.
 */
final class SystemUnderTest {

  static final Path LOGS = Path.of("target", "system-logs");

  private static SystemUnderTest instance;

  final Scim tenantA;
  final Scim tenantB;

  /** The registry's admin API, or null against an external gateway. */
  final Registry registry;

  /** The key pair the registry trusts for admin tokens, or null against an external gateway. */
  AdminTokens adminKeys;

  /** Every secret the registry issued in this run, to check none leaks. */
  final List<String> secrets = new CopyOnWriteArrayList<>();

  /** The run's unique suffix of tenant names (tenant-a-SUFFIX, tenant-b-SUFFIX). */
  final String suffix;

  /** Status of the first request sent the moment the gateway reported ready. */
  int firstStatusOnceReady;

  /** The started services (null against an external gateway), for their management ports. */
  ServiceProcess gatewayService;

  ServiceProcess processorService;
  ServiceProcess registryService;
  private ServiceProcess auditService;
  private ServiceProcess webhooksService;
  private ServiceProcess graphSyncService;
  private ServiceProcess samlJitService;
  private Map<String, String> commonConfig;

  /**
   * The gateway's page cap in the system this JVM starts ({@code phub.gateway.list.max-results};
   * 1000 by default): small, so proving that a page holds exactly that many needs few users.
   */
  static final int MAX_RESULTS = 50;

  /** The key pair of the source services (graph-sync signs, the gateway verifies; ADR 0022). */
  private static final Path SOURCES_PUBLIC = LOGS.resolve("sources-public.pem");

  private static final Path SOURCES_PRIVATE = LOGS.resolve("sources-private.pem");

  private SystemUnderTest(Scim tenantA, Scim tenantB, Registry registry, String suffix) {
    this.tenantA = tenantA;
    this.tenantB = tenantB;
    this.registry = registry;
    this.suffix = suffix;
  }

  static synchronized SystemUnderTest get() {
    if (instance == null) {
      String baseUrl = System.getProperty("phub.scim.base-url");
      instance = baseUrl != null && !baseUrl.isBlank() ? external(baseUrl) : started();
    }
    return instance;
  }

  /** Whether this JVM started the system (and so owns its registry, logs and database). */
  boolean ownsSystem() {
    return registry != null;
  }

  /**
   * The audit-log production jar against the same broker and database, started on first use (only
   * the tests that read the audit trail pay for it). It trusts {@link #supportToken()}.
   */
  synchronized ServiceProcess audit() {
    if (auditService == null) {
      Path root = Path.of(System.getProperty("phub.root", ".."));
      Map<String, String> config = new LinkedHashMap<>(commonConfig);
      config.remove("quarkus.datasource.reactive.url");
      config.put(
          "mp.jwt.verify.publickey", adminKeys.registryConfig().get("quarkus.oidc.public-key"));
      config.put("mp.jwt.verify.issuer", AdminTokens.ISSUER);
      ServiceProcess started =
          ServiceProcess.start(
              "audit-log",
              root.resolve("audit-log/target/quarkus-app/quarkus-run.jar"),
              config,
              LOGS.resolve("audit.log"));
      Runtime.getRuntime().addShutdownHook(new Thread(started::close));
      auditService = started;
    }
    return auditService;
  }

  /**
   * The webhooks production jar against the same broker and database, started on first use. It
   * trusts {@link #adminToken()}, encrypts endpoint secrets with a key of this run, and may deliver
   * to loopback (the tests' receivers).
   */
  synchronized ServiceProcess webhooks() {
    if (webhooksService == null) {
      Path root = Path.of(System.getProperty("phub.root", ".."));
      Map<String, String> config = new LinkedHashMap<>(commonConfig);
      config.remove("quarkus.datasource.reactive.url");
      config.put(
          "mp.jwt.verify.publickey", adminKeys.registryConfig().get("quarkus.oidc.public-key"));
      config.put("mp.jwt.verify.issuer", AdminTokens.ISSUER);
      byte[] key = new byte[32];
      new java.security.SecureRandom().nextBytes(key);
      config.put(
          "phub.webhooks.secret-encryption-key", java.util.Base64.getEncoder().encodeToString(key));
      config.put("phub.webhooks.allow-private-targets", "true");
      ServiceProcess started =
          ServiceProcess.start(
              "webhooks",
              root.resolve("webhooks/target/quarkus-app/quarkus-run.jar"),
              config,
              LOGS.resolve("webhooks.log"));
      Runtime.getRuntime().addShutdownHook(new Thread(started::close));
      webhooksService = started;
    }
    return webhooksService;
  }

  /**
   * The graph-sync production jar, started on first use against the gateway, reading Entra and
   * Graph at the given simulator's URLs (one simulator per test JVM). It signs its service tokens
   * with the key whose public half the gateway was started with, and trusts {@link #adminToken()}.
   */
  synchronized ServiceProcess graphSync(String authorityUrl, String graphUrl) {
    if (graphSyncService == null) {
      Path root = Path.of(System.getProperty("phub.root", ".."));
      Map<String, String> config = new LinkedHashMap<>(commonConfig);
      config.remove("quarkus.datasource.reactive.url");
      config.put(
          "mp.jwt.verify.publickey", adminKeys.registryConfig().get("quarkus.oidc.public-key"));
      config.put("mp.jwt.verify.issuer", AdminTokens.ISSUER);
      byte[] key = new byte[32];
      new java.security.SecureRandom().nextBytes(key);
      config.put(
          "phub.graph-sync.secret-encryption-key",
          java.util.Base64.getEncoder().encodeToString(key));
      config.put("phub.graph-sync.authority-url", authorityUrl);
      config.put("phub.graph-sync.graph-url", graphUrl);
      config.put("phub.graph-sync.scim.base-url", gatewayService.baseUrl() + "/scim/v2");
      config.put(
          "phub.graph-sync.scim.signing-key-location", SOURCES_PRIVATE.toAbsolutePath().toString());
      config.put("phub.graph-sync.tick", "PT1S");
      config.put("phub.graph-sync.max-retry-after", "PT5S");
      ServiceProcess started =
          ServiceProcess.start(
              "graph-sync",
              root.resolve("graph-sync/target/quarkus-app/quarkus-run.jar"),
              config,
              LOGS.resolve("graph-sync.log"));
      Runtime.getRuntime().addShutdownHook(new Thread(started::close));
      graphSyncService = started;
    }
    return graphSyncService;
  }

  /** What saml-jit is configured to be reached at: the tenants' entity ids and ACS URLs. */
  static final String SAML_JIT_PUBLIC_BASE = "https://sso.system-tests.example";

  /**
   * The saml-jit production jar, started on first use against the gateway: it signs its service
   * tokens with the sources key (as graph-sync does), trusts {@link #adminToken()}, and names
   * itself {@link #SAML_JIT_PUBLIC_BASE} in its SAML metadata (as behind an ingress).
   */
  synchronized ServiceProcess samlJit() {
    if (samlJitService == null) {
      Path root = Path.of(System.getProperty("phub.root", ".."));
      Map<String, String> config = new LinkedHashMap<>(commonConfig);
      config.remove("quarkus.datasource.reactive.url");
      config.put(
          "mp.jwt.verify.publickey", adminKeys.registryConfig().get("quarkus.oidc.public-key"));
      config.put("mp.jwt.verify.issuer", AdminTokens.ISSUER);
      config.put("phub.saml-jit.public-base-url", SAML_JIT_PUBLIC_BASE);
      config.put("phub.saml-jit.scim.base-url", gatewayService.baseUrl() + "/scim/v2");
      config.put(
          "phub.saml-jit.scim.signing-key-location", SOURCES_PRIVATE.toAbsolutePath().toString());
      ServiceProcess started =
          ServiceProcess.start(
              "saml-jit",
              root.resolve("saml-jit/target/quarkus-app/quarkus-run.jar"),
              config,
              LOGS.resolve("saml-jit.log"));
      Runtime.getRuntime().addShutdownHook(new Thread(started::close));
      samlJitService = started;
    }
    return samlJitService;
  }

  /** A bearer token with the admin role that the registry and the webhooks service accept. */
  String adminToken() {
    return adminKeys.adminToken();
  }

  /** A bearer token with the support role that the started audit-log accepts. */
  String supportToken() {
    return adminKeys.supportToken(java.time.Duration.ofHours(1));
  }

  /** All started services by name, started audit-log included. */
  synchronized Map<String, ServiceProcess> services() {
    Map<String, ServiceProcess> all = new LinkedHashMap<>();
    all.put("scim-gateway", gatewayService);
    all.put("provisioning-processor", processorService);
    all.put("tenant-registry", registryService);
    if (auditService != null) {
      all.put("audit-log", auditService);
    }
    if (webhooksService != null) {
      all.put("webhooks", webhooksService);
    }
    if (graphSyncService != null) {
      all.put("graph-sync", graphSyncService);
    }
    return all;
  }

  String issue(String tenantId) {
    String secret = registry.issueSecret(tenantId);
    secrets.add(secret);
    return secret;
  }

  /** A fresh RSA pair for the source services' tokens, as PEM files in the logs directory. */
  private static void writeSourceKeys() {
    try {
      java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      java.security.KeyPair pair = generator.generateKeyPair();
      java.util.Base64.Encoder pem = java.util.Base64.getMimeEncoder(64, "\n".getBytes());
      java.nio.file.Files.createDirectories(LOGS);
      java.nio.file.Files.writeString(
          SOURCES_PUBLIC,
          "-----BEGIN PUBLIC KEY-----\n"
              + pem.encodeToString(pair.getPublic().getEncoded())
              + "\n-----END PUBLIC KEY-----\n");
      java.nio.file.Files.writeString(
          SOURCES_PRIVATE,
          "-----BEGIN PRIVATE KEY-----\n"
              + pem.encodeToString(pair.getPrivate().getEncoded())
              + "\n-----END PRIVATE KEY-----\n");
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SystemUnderTest external(String baseUrl) {
    Scim a = new Scim(baseUrl, System.getProperty("phub.scim.token"));
    String other = System.getProperty("phub.scim.other-token");
    return new SystemUnderTest(a, other == null ? null : a.as(other), null, "external");
  }

  private static SystemUnderTest started() {
    Infrastructure infra = Infrastructure.shared();
    Path root = Path.of(System.getProperty("phub.root", ".."));
    Map<String, String> common = new LinkedHashMap<>(infra.quarkusConfig());
    // One DEBUG line per command in the gateway and processor logs (JSON, prod profile): the
    // trace test reads its MDC (tenant, command, request and trace ids).
    common.put("quarkus.log.category.\"io.provisioninghub.gateway.command\".level", "DEBUG");
    common.put("quarkus.log.category.\"io.provisioninghub.processor.metrics\".level", "DEBUG");
    AdminTokens adminKeys = AdminTokens.generate();

    Map<String, String> registryConfig = new LinkedHashMap<>(common);
    registryConfig.remove("quarkus.datasource.reactive.url");
    registryConfig.putAll(adminKeys.registryConfig());
    // Required by a production registry: the key that seals the console sign-in's client secrets.
    byte[] signInKey = new byte[32];
    new java.security.SecureRandom().nextBytes(signInKey);
    registryConfig.put(
        "phub.registry.secret-encryption-key",
        java.util.Base64.getEncoder().encodeToString(signInKey));
    ServiceProcess registryService =
        ServiceProcess.start(
            "tenant-registry",
            root.resolve("tenant-registry/target/quarkus-app/quarkus-run.jar"),
            registryConfig,
            LOGS.resolve("registry.log"));
    Registry registry =
        new Registry(registryService.baseUrl() + "/admin/v1", adminKeys.adminToken());

    // The broker-side gauges (consumer lag, dead-letter backlog) refreshed every second instead of
    // every 15 s, so tests that follow them wait for the change, not for the next refresh.
    Map<String, String> processorConfig = new LinkedHashMap<>(common);
    processorConfig.put("phub.metrics.consumer-groups-every", "PT1S");
    ServiceProcess processor =
        ServiceProcess.start(
            "provisioning-processor",
            root.resolve("provisioning-processor/target/quarkus-app/quarkus-run.jar"),
            processorConfig,
            LOGS.resolve("processor.log"));

    String suffix = UUID.randomUUID().toString().substring(0, 8);
    SystemUnderTest sut = new SystemUnderTest(null, null, registry, suffix);
    String a = "tenant-a-" + sut.suffix;
    String b = "tenant-b-" + sut.suffix;
    assertThat(registry.createTenant(a).status()).isEqualTo(201);
    assertThat(registry.createTenant(b).status()).isEqualTo(201);
    String tokenA = sut.issue(a);
    String tokenB = sut.issue(b);

    Map<String, String> gatewayConfig = new LinkedHashMap<>(common);
    gatewayConfig.remove("quarkus.datasource.jdbc.url");
    gatewayConfig.put("phub.gateway.list.max-results", String.valueOf(MAX_RESULTS));
    writeSourceKeys();
    gatewayConfig.put(
        "phub.gateway.sources.public-key-location", SOURCES_PUBLIC.toAbsolutePath().toString());
    ServiceProcess gateway =
        ServiceProcess.start(
            "scim-gateway",
            root.resolve("scim-gateway/target/quarkus-app/quarkus-run.jar"),
            gatewayConfig,
            LOGS.resolve("gateway.log"));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gateway.close();
                  processor.close();
                  registryService.close();
                }));

    Scim scimA = new Scim(gateway.baseUrl() + "/scim/v2", tokenA);
    SystemUnderTest ready = new SystemUnderTest(scimA, scimA.as(tokenB), registry, suffix);
    ready.secrets.addAll(sut.secrets);
    ready.adminKeys = adminKeys;
    ready.gatewayService = gateway;
    ready.processorService = processor;
    ready.registryService = registryService;
    ready.commonConfig = common;
    // No wait: readiness means the view has replayed everything published before the start.
    ready.firstStatusOnceReady = scimA.get("/Users/not-a-uuid").status();
    return ready;
  }
}
