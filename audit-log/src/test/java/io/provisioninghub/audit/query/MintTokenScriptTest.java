package io.provisioninghub.audit.query;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.testkit.InfrastructureTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The command-line token minting documented for operators produces a token the API accepts. */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class MintTokenScriptTest {

  @Test
  void scriptTokenIsAcceptedAsSupport() throws Exception {
    String token = mint();

    given()
        .auth()
        .oauth2(token)
        .get("/audit/v1/tenants/{t}/summary", "tenant-script")
        .then()
        .statusCode(200);
  }

  @Test
  void scriptTokenLimitedToTenantsReadsOnlyThose() throws Exception {
    String token = mint("provisioninghub-support", "agent", "600", "tenant-a,tenant-b");

    for (String allowed : new String[] {"tenant-a", "tenant-b"}) {
      given()
          .auth()
          .oauth2(token)
          .get("/audit/v1/tenants/{t}/summary", allowed)
          .then()
          .statusCode(200);
    }
    given()
        .auth()
        .oauth2(token)
        .get("/audit/v1/tenants/{t}/summary", "tenant-c")
        .then()
        .statusCode(403);
  }

  @Test
  void scriptRefusesALifetimeOverTwelveHours() throws Exception {
    Process process = run("provisioninghub-support", "agent", "43201");
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
  }

  private static String mint(String... args) throws Exception {
    Process process = run(args);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String token =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(process.exitValue()).as(token).isZero();
    return token;
  }

  private static Process run(String... args) throws Exception {
    Path script = Path.of("scripts", "mint-support-token.sh").toAbsolutePath();
    Path key = Path.of("src", "test", "resources", "support-test-private.pem").toAbsolutePath();
    java.util.List<String> command =
        new java.util.ArrayList<>(java.util.List.of("bash", script.toString(), key.toString()));
    command.addAll(java.util.List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }
}
