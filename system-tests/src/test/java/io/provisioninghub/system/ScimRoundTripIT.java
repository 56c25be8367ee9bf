package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end: the registry, gateway and processor production jars as separate processes, a real
 * broker and a real database, driven over HTTP. Tenants are onboarded through the registry's admin
 * API exactly as an operator does it.
 */
class ScimRoundTripIT {

  static SystemUnderTest sut;
  static Registry registry;
  static Scim tenantA;
  static Scim tenantB;
  static int firstStatusOnceReady;
  static String suffix = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void startSystem() {
    sut = SystemUnderTest.get();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        sut.ownsSystem(), "onboards tenants through the registry this JVM started");
    tenantA = sut.tenantA;
    tenantB = sut.tenantB;
    registry = sut.registry;
    suffix = sut.suffix;
    firstStatusOnceReady = sut.firstStatusOnceReady;
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
  void anotherTenantCannotFindUpdateOrDeleteUsersOrGroups() {
    String userName = Scim.uniqueName("Dave");
    String userId = tenantA.createUser(userName).json().get("id").asText();
    Scim.Reply group =
        tenantA.post(
            "/Groups",
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"Private "
                + UUID.randomUUID()
                + "\",\"members\":[{\"value\":\""
                + userId
                + "\"}]}");
    assertThat(group.status()).as(group.toString()).isEqualTo(201);
    String groupId = group.json().get("id").asText();
    String patch =
        "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
            + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}";

    // Filters cannot escape the tenant, not even with an OR on the other tenant's id.
    assertThat(
            tenantB
                .filter(
                    "Users", "userName eq \"" + userName + "\" or id eq \"" + userId + "\"", null)
                .json()
                .get("totalResults")
                .asInt())
        .isZero();
    assertThat(
            tenantB
                .filter("Groups", "members.value eq \"" + userId + "\"", null)
                .json()
                .get("totalResults")
                .asInt())
        .isZero();
    assertThat(tenantB.patch("/Users/" + userId, patch).status()).isEqualTo(404);
    assertThat(
            tenantB
                .put(
                    "/Users/" + userId,
                    "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"x@y.z\"}")
                .status())
        .isEqualTo(404);
    assertThat(tenantB.delete("/Users/" + userId).status()).isEqualTo(404);
    assertThat(tenantB.get("/Groups/" + groupId).status()).isEqualTo(404);
    assertThat(tenantB.delete("/Groups/" + groupId).status()).isEqualTo(404);
    // And a group of B cannot take A's user as a member.
    Scim.Reply foreignMember =
        tenantB.post(
            "/Groups",
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"B "
                + UUID.randomUUID()
                + "\",\"members\":[{\"value\":\""
                + userId
                + "\"}]}");
    assertThat(foreignMember.status()).isEqualTo(400);

    JsonNode untouched = tenantA.get("/Users/" + userId).json();
    assertThat(untouched.path("active").asBoolean(true)).isTrue();
    assertThat(untouched.at("/meta/version").asText()).isEqualTo("W/\"1\"");
    assertThat(tenantA.get("/Groups/" + groupId).json().get("members")).hasSize(1);
  }

  @Test
  void missingOrWrongTokenIs401() {
    assertThat(tenantA.as(null).get("/Users/" + UUID.randomUUID()).status()).isEqualTo(401);
    Scim.Reply wrong = tenantA.as("wrong").createUser(Scim.uniqueName("Mallory"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().get("status").asText()).isEqualTo("401");
  }

  @Test
  void revokedCredentialIsRefusedWithinTwoSecondsOfTheRegistryAnswering() {
    String tenant = "revoke-" + suffix;
    assertThat(registry.createTenant(tenant).status()).isEqualTo(201);
    Registry.Reply issued = registry.post("/tenants/" + tenant + "/credentials", "{}");
    String secret = issued.json().get("secret").asText();
    sut.secrets.add(secret);
    Scim scim = tenantA.as(secret);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> scim.get("/Users/not-a-uuid").status() == 404);

    String credentialId = issued.json().get("id").asText();
    Registry.Reply revoked =
        registry.post("/tenants/" + tenant + "/credentials/" + credentialId + "/revoke", "");
    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> scim.get("/Users/not-a-uuid").status() == 401);
  }

  @Test
  void suspendedTenantIsRefusedAndResumedTenantAccepted() {
    String tenant = "suspend-" + suffix;
    assertThat(registry.createTenant(tenant).status()).isEqualTo(201);
    Scim scim = tenantA.as(sut.issue(tenant));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> scim.get("/Users/not-a-uuid").status() == 404);

    assertThat(registry.post("/tenants/" + tenant + "/suspend", "").status()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> scim.get("/Users/not-a-uuid").status() == 403);
    Scim.Reply refused = scim.createUser(Scim.uniqueName("Suspended"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().get("status").asText()).isEqualTo("403");

    assertThat(registry.post("/tenants/" + tenant + "/resume", "").status()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> scim.get("/Users/not-a-uuid").status() == 404);
  }

  @Test
  void credentialsIssuedBeforeTheGatewayStartedWorkAsSoonAsItIsReady() {
    assertThat(firstStatusOnceReady).isEqualTo(404);
  }

  @Test
  void adminApiRefusesMissingTokenAndMissingRole() {
    assertThat(registry.as(null).get("/tenants").status()).isEqualTo(401);
    String support = sut.adminKeys.token(Duration.ofMinutes(5), "support");
    assertThat(registry.as(support).get("/tenants").status()).isEqualTo(403);
    assertThat(registry.as(support).createTenant("sneaky-" + suffix).status()).isEqualTo(403);
    assertThat(registry.get("/tenants").status()).isEqualTo(200);
  }

  @Test
  void secretsNeverAppearInLogsOrLaterResponses() throws Exception {
    // Every secret issued by this class so far, after traffic through every service.
    tenantA.createUser(Scim.uniqueName("Logged"));
    assertThat(sut.secrets).isNotEmpty();
    String tenants = registry.get("/tenants").body();
    String credentials = registry.get("/tenants/tenant-a-" + suffix + "/credentials").body();
    for (String secret : sut.secrets) {
      assertThat(tenants).doesNotContain(secret);
      assertThat(credentials).doesNotContain(secret);
      for (String log : List.of("registry.log", "gateway.log", "processor.log")) {
        assertThat(Files.readString(SystemUnderTest.LOGS.resolve(log)))
            .as(log)
            .doesNotContain(secret);
      }
    }
  }
}
