package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The production jar refuses to start with the well-known dev token. */
class ProdProfileIT {

  @Test
  void gatewayRefusesTheDevTokenInProd() throws Exception {
    Path root = Path.of(System.getProperty("phub.root", ".."));
    Path log = Path.of("target", "system-logs", "gateway-prod-refusal.log");
    Files.deleteIfExists(log);
    Map<String, String> config = new LinkedHashMap<>(Infrastructure.shared().quarkusConfig());
    config.remove("quarkus.datasource.jdbc.url");
    config.put("phub.gateway.static-tokens.demo", "dev-scim-token-not-for-production");

    assertThatThrownBy(
            () ->
                ServiceProcess.start(
                        "scim-gateway",
                        root.resolve("scim-gateway/target/quarkus-app/quarkus-run.jar"),
                        config,
                        log)
                    .close())
        .hasMessageContaining("exited");
    assertThat(Files.readString(log)).contains("refusing to start");
  }
}
