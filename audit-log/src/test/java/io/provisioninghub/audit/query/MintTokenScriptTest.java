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
    Path script = Path.of("scripts", "mint-support-token.sh").toAbsolutePath();
    Path key = Path.of("src", "test", "resources", "support-test-private.pem").toAbsolutePath();
    Process process =
        new ProcessBuilder("bash", script.toString(), key.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String token =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(process.exitValue()).as(token).isZero();

    given()
        .auth()
        .oauth2(token)
        .get("/audit/v1/tenants/{t}/summary", "tenant-script")
        .then()
        .statusCode(200);
  }
}
