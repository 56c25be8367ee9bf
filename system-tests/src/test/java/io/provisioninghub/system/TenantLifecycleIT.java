package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deleting a tenant and creating its id again, end to end (registry, processor and gateway as
 * separate processes, real broker and database, over HTTP): the deletion purges the tenant's SCIM
 * data, and the new tenant with the same id starts empty instead of inheriting the old customer's
 * users and groups (issue 14, point 3; docs/adr/0008).
 */
class TenantLifecycleIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  static SystemUnderTest sut;

  @BeforeAll
  static void startSystem() {
    sut = SystemUnderTest.get();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        sut.ownsSystem(), "deletes and re-creates a tenant through the registry this JVM started");
  }

  @Test
  void aDeletedTenantsIdCreatedAgainStartsEmpty() {
    Registry registry = sut.registry;
    String id = "reused-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(registry.createTenant(id).status()).isEqualTo(201);
    Scim old = sut.tenantA.as(registry.issueSecret(id));
    String userName = Scim.uniqueName("leaver");
    // The gateway learns the new credential from tenants.v1 within moments.
    Scim.Reply created =
        await().atMost(WAIT).until(() -> old.createUser(userName), r -> r.status() == 201);
    String userId = created.json().get("id").asText();
    assertThat(old.createUser(Scim.uniqueName("colleague")).status()).isEqualTo(201);
    Scim.Reply group =
        old.post(
            "/Groups",
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],"
                + "\"displayName\":\"Sales "
                + id
                + "\",\"members\":[{\"value\":\""
                + userId
                + "\"}]}");
    assertThat(group.status()).as(group.toString()).isEqualTo(201);

    Registry.Reply deleting = registry.delete("/tenants/" + id);
    assertThat(deleting.status()).as(deleting.toString()).isEqualTo(202);
    assertThat(deleting.json().get("status").asText()).isEqualTo("DELETING");
    // Refused at once, and the id stays taken until the processor has purged the data.
    await().atMost(WAIT).until(() -> old.get("/Users").status(), s -> s == 403 || s == 401);
    await().atMost(WAIT).until(() -> registry.get("/tenants/" + id).status(), s -> s == 404);

    assertThat(registry.createTenant(id).status()).isEqualTo(201);
    Scim fresh = sut.tenantA.as(registry.issueSecret(id));
    Scim.Reply users =
        await().atMost(WAIT).until(() -> fresh.get("/Users"), r -> r.status() == 200);
    assertThat(users.json().get("totalResults").asInt()).as(users.toString()).isZero();
    assertThat(fresh.get("/Groups").json().get("totalResults").asInt()).isZero();
    assertThat(fresh.get("/Users/" + userId).status()).isEqualTo(404);
    assertThat(
            fresh
                .filter("Users", "userName eq \"" + userName + "\"", null)
                .json()
                .get("totalResults")
                .asInt())
        .isZero();
    // The old customer's names are free in the new tenant, and its token is not the new one's.
    assertThat(fresh.createUser(userName).status()).isEqualTo(201);
    assertThat(old.get("/Users").status()).isEqualTo(401);
  }
}
