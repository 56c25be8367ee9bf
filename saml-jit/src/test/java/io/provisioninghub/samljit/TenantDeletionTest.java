package io.provisioninghub.samljit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.samljit.replay.SignInStore;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TenantDeletionContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A tenant deleted in the registry ({@link TenantDeletionContract}): its IdP settings, AuthnRequest
 * ids, replay ids and known users go, and its SAML endpoints answer 404.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(SamlJitTestResource.class)
class TenantDeletionTest extends TenantDeletionContract {

  private static final TestIdp IDP = TestIdp.generate("idp-deletion");

  @Inject MeterRegistry registry;
  @Inject SignInStore store;

  @Override
  protected String schema() {
    return "saml_jit";
  }

  @Override
  protected List<String> tables() {
    return List.of("identity_providers", "authn_requests", "consumed_assertions", "users");
  }

  @Override
  protected MeterRegistry registry() {
    return registry;
  }

  /**
   * An IdP (admin API), an AuthnRequest sent (SP-initiated login), an assertion kept against
   * replay, and a user a sign-in met.
   */
  @Override
  protected void configure(String tenant) throws Exception {
    assertThat(SamlJitSupport.put(tenant, SamlJitSupport.settings("", IDP.pem())).statusCode())
        .isIn(200, 201);
    // The AuthnRequest id is stored when the SP-initiated login redirects to the IdP.
    assertThat(login(tenant)).isEqualTo(303);
    assertThat(store.consume(tenant, "_" + UUID.randomUUID(), Instant.now().plusSeconds(600), null))
        .isEqualTo(SignInStore.Verdict.ACCEPTED);
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s =
            c.prepareStatement(
                "insert into saml_jit.users (tenant_id, user_name_lower, scim_id, created_here)"
                    + " values (?, ?, ?, true)")) {
      s.setString(1, tenant);
      s.setString(2, "adele@" + tenant);
      s.setString(3, UUID.randomUUID().toString());
      s.executeUpdate();
    }
  }

  @Override
  protected void afterDeletion(String deleted, String kept) {
    assertThat(login(deleted)).isEqualTo(404);
    assertThat(login(kept)).isEqualTo(303);
  }

  private static int login(String tenant) {
    return given().redirects().follow(false).get("/saml/" + tenant + "/login").statusCode();
  }
}
