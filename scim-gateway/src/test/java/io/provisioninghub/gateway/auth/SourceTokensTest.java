package io.provisioninghub.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.gateway.TestTenants;
import io.provisioninghub.gateway.bulk.PlayProcessor;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our own source services write through the SCIM API with a token they sign (ADR 0022): the tenant
 * comes from the token's {@code tenant} claim, the command's {@code source} from its {@code source}
 * claim, and the request metric carries the source; an ordinary secret still writes as {@code
 * scim}, and no other token passes as a source's.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(SourceKeysTestResource.class)
class SourceTokensTest {

  static final String TENANT = "source-" + UUID.randomUUID().toString().substring(0, 8);
  static final String SECRET = TestTenants.newSecret();
  static PlayProcessor processor;
  static boolean onboarded;

  @Inject MeterRegistry registry;

  @BeforeAll
  static void start() {
    processor = new PlayProcessor(Infrastructure.shared().kafka().bootstrapServers(), TENANT, 1);
  }

  @AfterAll
  static void stop() {
    processor.close();
  }

  @BeforeEach
  void onboard() {
    if (!onboarded) {
      TestTenants.onboard(TENANT, SECRET, new TenantSnapshot.RateLimit(1000, 1000));
      onboarded = true;
    }
  }

  @Test
  void aSourceTokenWritesAsItsSourceAndASecretAsScim() {
    String graphUser = "graph-" + UUID.randomUUID() + "@contoso.example";
    assertThat(create(SourceKeysTestResource.token(TENANT, "graph"), graphUser)).isEqualTo(201);
    String scimUser = "scim-" + UUID.randomUUID() + "@contoso.example";
    assertThat(create(SECRET, scimUser)).isEqualTo(201);

    assertThat(commandFor(graphUser).source()).isEqualTo("graph");
    assertThat(commandFor(graphUser).tenantId()).isEqualTo(TENANT);
    assertThat(commandFor(scimUser).source()).isEqualTo("scim");
    // SAML just-in-time provisioning is allowed by default too (ADR 0023).
    String samlUser = "saml-" + UUID.randomUUID() + "@contoso.example";
    assertThat(create(SourceKeysTestResource.token(TENANT, "saml-jit"), samlUser)).isEqualTo(201);
    assertThat(commandFor(samlUser).source()).isEqualTo("saml-jit");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                registry.find("phub.scim.requests").tag("source", "graph").timer() != null
                    && registry.find("phub.scim.requests").tag("source", "scim").timer() != null);
  }

  @Test
  void noOtherTokenPassesAsASourcesToken() {
    String name = "refused-" + UUID.randomUUID();
    assertThat(create(SourceKeysTestResource.tokenOfStranger(TENANT), name)).isEqualTo(401);
    assertThat(create(SourceKeysTestResource.token(TENANT, "scim"), name)).isEqualTo(401);
    assertThat(create(SourceKeysTestResource.token(TENANT, "ldap-pull"), name)).isEqualTo(401);
    assertThat(create(SourceKeysTestResource.token(TENANT, null), name)).isEqualTo(401);
    assertThat(create(SourceKeysTestResource.token(null, "graph"), name)).isEqualTo(401);
    assertThat(create(SourceKeysTestResource.token("no-such-tenant", "graph"), name))
        .isEqualTo(401);
    assertThat(
            create(SourceKeysTestResource.tokenWithRole(TENANT, "graph", "provisioning-app"), name))
        .isEqualTo(401);
    assertThat(processor.commands()).noneMatch(c -> c.payload().toString().contains(name));
  }

  @Test
  void aSourceTokenIsNoApplicationCredential() {
    assertThat(
            given()
                .auth()
                .oauth2(SourceKeysTestResource.token(TENANT, "graph"))
                .get("/app/v1/tenants/" + TENANT + "/users")
                .statusCode())
        .isEqualTo(401);
  }

  private static int create(String bearer, String userName) {
    return given()
        .auth()
        .oauth2(bearer)
        .contentType("application/scim+json")
        .body(
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
                + userName
                + "\"}")
        .post("/scim/v2/Users")
        .statusCode();
  }

  private static ProvisioningCommand commandFor(String userName) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                processor.commands().stream()
                    .filter(c -> c.payload() != null && c.payload().toString().contains(userName))
                    .findFirst()
                    .orElse(null),
            c -> c != null);
  }

  static {
    RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
  }
}
