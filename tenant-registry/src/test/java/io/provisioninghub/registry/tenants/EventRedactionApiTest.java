package io.provisioninghub.registry.tenants;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.provisioninghub.contracts.ContractJson;
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
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tenant's event redaction through the admin API, against the real database and broker: names
 * validated, repeats dropped, the list published in the snapshot the gateways stamp on commands,
 * and kept across other tenant changes.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(AdminKeysTestResource.class)
class EventRedactionApiTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

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
  void redactedAttributesAreStoredAndPublishedAndBadNamesRefused() {
    String id = "red-" + UUID.randomUUID().toString().substring(0, 12);
    admin()
        .body("{\"id\":\"" + id + "\",\"displayName\":\"Redaction\"}")
        .post("/admin/v1/tenants")
        .then()
        .statusCode(201);
    admin()
        .get("/admin/v1/tenants/" + id + "/event-redaction")
        .then()
        .statusCode(200)
        .body("attributes.size()", equalTo(0));

    admin()
        .body(
            "{\"attributes\":[\"emails\",\"phoneNumbers\",\"Emails\",\""
                + ENTERPRISE
                + ":employeeNumber\"]}")
        .put("/admin/v1/tenants/" + id + "/event-redaction")
        .then()
        .statusCode(200)
        .body("attributes.size()", equalTo(3));
    TenantSnapshot published = awaitSnapshot(id, s -> !s.eventRedactions().isEmpty());
    assertThat(published.eventRedactions())
        .containsExactly("emails", "phoneNumbers", ENTERPRISE + ":employeeNumber");

    for (String bad : List.of("\"\"", "\"a b\"", "\"emails.value\"", "null")) {
      admin()
          .body("{\"attributes\":[" + bad + "]}")
          .put("/admin/v1/tenants/" + id + "/event-redaction")
          .then()
          .statusCode(400)
          .body(containsString("attribute name"));
    }
    admin().body("{}").put("/admin/v1/tenants/" + id + "/event-redaction").then().statusCode(400);
    admin()
        .get("/admin/v1/tenants/" + id + "/event-redaction")
        .then()
        .body("attributes.size()", equalTo(3));

    // Another tenant change keeps the list in the snapshot.
    admin()
        .body("{\"displayName\":\"Redaction Ltd\"}")
        .patch("/admin/v1/tenants/" + id)
        .then()
        .statusCode(200);
    assertThat(awaitSnapshot(id, s -> "Redaction Ltd".equals(s.displayName())).eventRedactions())
        .hasSize(3);

    admin()
        .body("{\"attributes\":[]}")
        .put("/admin/v1/tenants/" + id + "/event-redaction")
        .then()
        .statusCode(200);
    assertThat(
            awaitSnapshot(
                    id,
                    s ->
                        s.eventRedactions().isEmpty()
                            && "Redaction Ltd".equals(s.displayName())
                            && s.revision() > published.revision() + 1)
                .eventRedactions())
        .isEmpty();

    admin().get("/admin/v1/tenants/nobody-" + id + "/event-redaction").then().statusCode(404);
    given()
        .auth()
        .oauth2(AdminKeysTestResource.token("support"))
        .get("/admin/v1/tenants/" + id + "/event-redaction")
        .then()
        .statusCode(403);
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
