package io.provisioninghub.registry.tenants;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.PasswordPolicy;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.registry.AdminKeysTestResource;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tenant's password policy through the admin API, against the real database and broker: {@code
 * ignore} by default, set on create or by PATCH, shown by GET and published in the snapshot the
 * gateways act on.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(AdminKeysTestResource.class)
class PasswordPolicyApiTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  static TopicProbe tenantsTopic;

  @BeforeAll
  static void open() {
    tenantsTopic =
        TopicProbe.open(Infrastructure.shared().kafka().bootstrapServers(), Topics.TENANTS);
  }

  @AfterAll
  static void close() {
    tenantsTopic.close();
  }

  @Test
  void ignoreByDefaultHashWhenAnAdminSetsItAndPublishedToGateways() {
    String id = "pw-" + UUID.randomUUID().toString().substring(0, 12);
    admin()
        .body("{\"id\":\"" + id + "\",\"displayName\":\"Passwords\"}")
        .post("/admin/v1/tenants")
        .then()
        .statusCode(201)
        .body("passwordPolicy", equalTo("ignore"));
    assertThat(awaitSnapshot(id, s -> s.revision() == 1).passwordPolicy())
        .isEqualTo(PasswordPolicy.IGNORE);

    admin()
        .body("{\"passwordPolicy\":\"hash\"}")
        .patch("/admin/v1/tenants/" + id)
        .then()
        .statusCode(200)
        .body("passwordPolicy", equalTo("hash"));
    admin().get("/admin/v1/tenants/" + id).then().body("passwordPolicy", equalTo("hash"));
    assertThat(awaitSnapshot(id, s -> s.revision() == 2).passwordPolicy())
        .isEqualTo(PasswordPolicy.HASH);

    // Other changes keep the policy.
    admin()
        .body("{\"displayName\":\"Passwords Ltd\"}")
        .patch("/admin/v1/tenants/" + id)
        .then()
        .statusCode(200)
        .body("passwordPolicy", equalTo("hash"));
    assertThat(awaitSnapshot(id, s -> s.revision() == 3).passwordPolicy())
        .isEqualTo(PasswordPolicy.HASH);
  }

  @Test
  void aTenantCanBeCreatedWithHashAndAnUnknownPolicyIs400() {
    String id = "pw-" + UUID.randomUUID().toString().substring(0, 12);
    admin()
        .body("{\"id\":\"" + id + "\",\"displayName\":\"H\",\"passwordPolicy\":\"HASH\"}")
        .post("/admin/v1/tenants")
        .then()
        .statusCode(201)
        .body("passwordPolicy", equalTo("hash"));
    admin()
        .body("{\"passwordPolicy\":\"plaintext\"}")
        .patch("/admin/v1/tenants/" + id)
        .then()
        .statusCode(400);
    admin().get("/admin/v1/tenants/" + id).then().body("passwordPolicy", equalTo("hash"));
  }

  private static RequestSpecification admin() {
    return given()
        .auth()
        .oauth2(AdminKeysTestResource.token("provisioning-admin"))
        .contentType("application/json");
  }

  private static TenantSnapshot awaitSnapshot(String id, Predicate<TenantSnapshot> matching) {
    return ContractJson.tenant(
        tenantsTopic
            .awaitOne(
                r ->
                    id.equals(r.key())
                        && r.value() != null
                        && matching.test(ContractJson.tenant(r.value())),
                WAIT)
            .value());
  }
}
