package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton end to end: the gateway and processor production jars as separate processes,
 * a real broker and a real database, driven over HTTP.
 */
class ScimRoundTripIT {

  static Scim tenantA;
  static Scim tenantB;

  @BeforeAll
  static void startSystem() {
    tenantA = SystemUnderTest.get().tenantA;
    tenantB = SystemUnderTest.get().tenantB;
    org.junit.jupiter.api.Assumptions.assumeTrue(tenantB != null, "needs a second tenant's token");
  }

  @Test
  void createAnswers201WithTheStoredUserAndItReadsBack() {
    String userName = Scim.uniqueName("Alice");

    Scim.Reply created = tenantA.createUser(userName);

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.header("Content-Type")).startsWith("application/scim+json");
    JsonNode user = created.json();
    String id = user.get("id").asText();
    assertThat(UUID.fromString(id)).isNotNull();
    assertThat(user.get("userName").asText()).isEqualTo(userName);
    assertThat(user.at("/meta/resourceType").asText()).isEqualTo("User");
    assertThat(user.at("/meta/created").asText()).isNotEmpty();
    assertThat(user.at("/meta/lastModified").asText()).isEqualTo(user.at("/meta/created").asText());
    assertThat(user.at("/meta/version").asText()).isEqualTo("W/\"1\"");
    assertThat(user.at("/meta/location").asText()).endsWith("/scim/v2/Users/" + id);
    assertThat(created.header("Location")).isEqualTo(user.at("/meta/location").asText());
    assertThat(created.header("ETag")).isEqualTo("W/\"1\"");

    Scim.Reply read = tenantA.get("/Users/" + id);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.header("Content-Type")).startsWith("application/scim+json");
    assertThat(read.json()).isEqualTo(user);
  }

  @Test
  void duplicateUserNameInTheSameTenantIs409IgnoringCase() {
    String userName = Scim.uniqueName("Bob");
    assertThat(tenantA.createUser(userName).status()).isEqualTo(201);

    Scim.Reply duplicate = tenantA.createUser(userName.toUpperCase());

    assertThat(duplicate.status()).as(duplicate.toString()).isEqualTo(409);
    assertThat(duplicate.header("Content-Type")).startsWith("application/scim+json");
    assertThat(duplicate.json().get("scimType").asText()).isEqualTo("uniqueness");
    assertThat(duplicate.json().get("status").asText()).isEqualTo("409");
    assertThat(tenantB.createUser(userName).status()).as("same name, other tenant").isEqualTo(201);
  }

  @Test
  void unknownIdIs404WithScimError() {
    Scim.Reply missing = tenantA.get("/Users/" + UUID.randomUUID());

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("schemas").get(0).asText())
        .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
    assertThat(missing.json().get("status").asText()).isEqualTo("404");
  }

  @Test
  void anotherTenantsUserIs404() {
    Scim.Reply created = tenantA.createUser(Scim.uniqueName("Carol"));
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().get("id").asText();

    assertThat(tenantB.get("/Users/" + id).status()).isEqualTo(404);
    assertThat(tenantA.get("/Users/" + id).status()).isEqualTo(200);
  }

  @Test
  void missingOrWrongTokenIs401() {
    assertThat(tenantA.as(null).get("/Users/" + UUID.randomUUID()).status()).isEqualTo(401);
    Scim.Reply wrong = tenantA.as("wrong").createUser(Scim.uniqueName("Mallory"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().get("status").asText()).isEqualTo("401");
  }
}
