package io.provisioninghub.system;

import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.ServiceProcess;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The system the HTTP tests drive: by default the gateway and processor production jars started
 * once per test JVM against a real broker and database; or, with {@code -Dphub.scim.base-url=...}
 * and {@code -Dphub.scim.token=...} (plus optionally {@code -Dphub.scim.other-token=...} for a
 * second tenant), any running gateway, such as the local stack.
 */
final class SystemUnderTest {

  static final String TOKEN_A = "system-test-token-of-tenant-a-0123456789abcdef";
  static final String TOKEN_B = "system-test-token-of-tenant-b-0123456789abcdef";

  private static SystemUnderTest instance;

  final Scim tenantA;
  final Scim tenantB;

  private SystemUnderTest(Scim tenantA, Scim tenantB) {
    this.tenantA = tenantA;
    this.tenantB = tenantB;
  }

  static synchronized SystemUnderTest get() {
    if (instance == null) {
      String baseUrl = System.getProperty("phub.scim.base-url");
      instance = baseUrl != null && !baseUrl.isBlank() ? external(baseUrl) : started();
    }
    return instance;
  }

  private static SystemUnderTest external(String baseUrl) {
    Scim a = new Scim(baseUrl, System.getProperty("phub.scim.token"));
    String other = System.getProperty("phub.scim.other-token");
    return new SystemUnderTest(a, other == null ? null : a.as(other));
  }

  private static SystemUnderTest started() {
    Infrastructure infra = Infrastructure.shared();
    Path root = Path.of(System.getProperty("phub.root", ".."));
    Path logs = Path.of("target", "system-logs");
    Map<String, String> common = new LinkedHashMap<>(infra.quarkusConfig());

    ServiceProcess processor =
        ServiceProcess.start(
            "provisioning-processor",
            root.resolve("provisioning-processor/target/quarkus-app/quarkus-run.jar"),
            common,
            logs.resolve("processor.log"));

    Map<String, String> gatewayConfig = new LinkedHashMap<>(common);
    gatewayConfig.remove("quarkus.datasource.jdbc.url");
    gatewayConfig.put("phub.gateway.static-tokens.tenant-a", TOKEN_A);
    gatewayConfig.put("phub.gateway.static-tokens.tenant-b", TOKEN_B);
    ServiceProcess gateway =
        ServiceProcess.start(
            "scim-gateway",
            root.resolve("scim-gateway/target/quarkus-app/quarkus-run.jar"),
            gatewayConfig,
            logs.resolve("gateway.log"));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gateway.close();
                  processor.close();
                }));

    Scim a = new Scim(gateway.baseUrl() + "/scim/v2", TOKEN_A);
    return new SystemUnderTest(a, a.as(TOKEN_B));
  }
}
