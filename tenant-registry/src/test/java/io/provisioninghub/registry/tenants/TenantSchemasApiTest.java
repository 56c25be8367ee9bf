package io.provisioninghub.registry.tenants;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ResourceType;
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
 * A tenant's extension schemas through the admin API, against the real database and broker:
 * validated on declaration, shown by GET, published in the snapshot the gateways act on.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(AdminKeysTestResource.class)
class TenantSchemasApiTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  static final String URN = "urn:ietf:params:scim:schemas:extension:ContosoHr:2.0:User";

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
  void declaredSchemasAreStoredAndPublishedAndBadOnesRefused() {
    String id = "sch-" + UUID.randomUUID().toString().substring(0, 12);
    admin()
        .body("{\"id\":\"" + id + "\",\"displayName\":\"Schemas\"}")
        .post("/admin/v1/tenants")
        .then()
        .statusCode(201);
    admin()
        .get("/admin/v1/tenants/" + id + "/schemas")
        .then()
        .statusCode(200)
        .body("strict", equalTo(false))
        .body("schemas.size()", equalTo(0));

    String body =
        "{\"strict\":true,\"schemas\":[{\"urn\":\""
            + URN
            + "\",\"resourceType\":\"User\",\"name\":\"ContosoHr\",\"attributes\":["
            + "{\"name\":\"employeeCode\",\"type\":\"string\",\"uniqueness\":\"server\"},"
            + "{\"name\":\"clearance\",\"type\":\"integer\"}]}]}";
    admin()
        .body(body)
        .put("/admin/v1/tenants/" + id + "/schemas")
        .then()
        .statusCode(200)
        .body("strict", equalTo(true))
        .body("schemas[0].urn", equalTo(URN));
    admin()
        .get("/admin/v1/tenants/" + id + "/schemas")
        .then()
        .body("schemas[0].attributes[0].uniqueness", equalTo("server"));

    TenantSnapshot published = awaitSnapshot(id, s -> !s.extensionSchemas().isEmpty());
    assertThat(published.strictExtensions()).isTrue();
    assertThat(published.extensionSchemas().get(0).urn()).isEqualTo(URN);
    assertThat(published.extensionSchemas().get(0).resourceType()).isEqualTo(ResourceType.User);
    assertThat(published.extensionSchemas().get(0).attributes()).hasSize(2);

    // A clash with a built-in schema, and a bad type: 400, nothing changed.
    admin()
        .body(
            "{\"schemas\":[{\"urn\":\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\","
                + "\"resourceType\":\"User\",\"attributes\":[{\"name\":\"a\",\"type\":\"string\"}]}]}")
        .put("/admin/v1/tenants/" + id + "/schemas")
        .then()
        .statusCode(400)
        .body(containsString("built-in"));
    admin()
        .body(
            "{\"schemas\":[{\"urn\":\""
                + URN
                + "\",\"resourceType\":\"User\",\"attributes\":[{\"name\":\"a\",\"type\":\"blob\"}]}]}")
        .put("/admin/v1/tenants/" + id + "/schemas")
        .then()
        .statusCode(400)
        .body(containsString("type must be one of"));
    admin()
        .get("/admin/v1/tenants/" + id + "/schemas")
        .then()
        .body("schemas[0].attributes.size()", equalTo(2))
        .body("strict", equalTo(true));

    // Another tenant change keeps the schemas in the snapshot.
    admin()
        .body("{\"displayName\":\"Schemas Ltd\"}")
        .patch("/admin/v1/tenants/" + id)
        .then()
        .statusCode(200);
    assertThat(awaitSnapshot(id, s -> "Schemas Ltd".equals(s.displayName())).extensionSchemas())
        .hasSize(1);

    admin().get("/admin/v1/tenants/nobody-" + id + "/schemas").then().statusCode(404);
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
