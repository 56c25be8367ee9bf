package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An Entra provisioning cycle whose matching attribute is a custom extension attribute the tenant
 * declared through the registry (docs/adr/0012), against the running stack: discovery for this
 * tenant only, the matching lookup by the custom attribute, Entra's PATCH of it, type and
 * uniqueness checks, and another tenant that sees none of it; and an Okta cycle that carries the
 * same custom attributes in full-body PUTs.
 */
class CustomSchemaConformanceIT {

  static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
  static final String EXT = "urn:ietf:params:scim:schemas:extension:FabrikamHr:2.0:User";
  static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
  static Scim scim;
  static Scim other;

  @BeforeAll
  static void declare() {
    SystemUnderTest sut = SystemUnderTest.get();
    // Declaring a schema needs the registry's admin API, which an external gateway does not give.
    assumeTrue(sut.ownsSystem(), "needs the registry of a stack this JVM started");
    String tenant = "hr-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(sut.registry.createTenant(tenant).status()).isEqualTo(201);
    scim = sut.tenantA.as(sut.issue(tenant));
    other = sut.tenantB;
    Registry.Reply declared =
        sut.registry.put(
            "/tenants/" + tenant + "/schemas",
            "{\"schemas\":[{\"urn\":\""
                + EXT
                + "\",\"resourceType\":\"User\",\"name\":\"FabrikamHr\",\"attributes\":["
                + "{\"name\":\"employeeCode\",\"type\":\"string\",\"uniqueness\":\"server\"},"
                + "{\"name\":\"clearance\",\"type\":\"integer\"}]}]}");
    assertThat(declared.status()).as(declared.toString()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> scim.get("/Schemas/" + EXT).status() == 200);
  }

  @Test
  void entraCycleMatchingOnACustomAttribute() {
    String code = "EMP-" + UUID.randomUUID().toString().substring(0, 8);
    String userName = "lena-" + code + "@fabrikam.com";

    // Discovery: the schema and the resource type's extension, for this tenant only.
    JsonNode schema = scim.get("/Schemas/" + EXT).json();
    assertThat(schema.at("/attributes/0/name").asText()).isEqualTo("employeeCode");
    assertThat(scim.get("/ResourceTypes/User").json().get("schemaExtensions").toString())
        .contains(EXT);
    assertThat(other.get("/Schemas/" + EXT).status()).isEqualTo(404);
    assertThat(other.get("/ResourceTypes/User").json().get("schemaExtensions").toString())
        .doesNotContain(EXT);

    // Entra's lookup by the matching attribute before create: a miss, 200.
    Scim.Reply miss = scim.filter("Users", EXT + ":employeeCode eq \"" + code + "\"", null);
    assertThat(miss.status()).as(miss.toString()).isEqualTo(200);
    assertThat(miss.json().get("totalResults").asInt()).isZero();

    Scim.Reply created =
        scim.post(
            "/Users",
            "{\"schemas\":[\""
                + CORE
                + "\",\""
                + EXT
                + "\"],\"userName\":\""
                + userName
                + "\",\"active\":true,\"externalId\":\""
                + code
                + "\",\""
                + EXT
                + "\":{\"employeeCode\":\""
                + code
                + "\",\"clearance\":2}}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().get("id").asText();

    // The matching lookup finds it, case-insensitively.
    Scim.Reply hit =
        scim.filter("Users", EXT + ":employeeCode eq \"" + code.toLowerCase() + "\"", null);
    assertThat(hit.json().get("totalResults").asInt()).isEqualTo(1);
    assertThat(hit.json().at("/Resources/0/id").asText()).isEqualTo(id);
    assertThat(hit.json().at("/Resources/0/" + EXT.replace("/", "~1") + "/clearance").asInt())
        .isEqualTo(2);

    // Entra's PATCH of the custom attributes (capitalised op, URN path).
    String newCode = code + "-B";
    Scim.Reply patched =
        scim.patch(
            "/Users/" + id,
            "{\"schemas\":[\""
                + PATCH_OP
                + "\"],\"Operations\":[{\"op\":\"Replace\",\"path\":\""
                + EXT
                + ":employeeCode\",\"value\":\""
                + newCode
                + "\"},{\"op\":\"Replace\",\"path\":\""
                + EXT
                + ":clearance\",\"value\":3}]}");
    assertThat(patched.status()).as(patched.toString()).isIn(200, 204);
    assertThat(
            scim.filter("Users", EXT + ":employeeCode eq \"" + newCode + "\"", null)
                .json()
                .get("totalResults")
                .asInt())
        .isEqualTo(1);
    assertThat(
            scim.filter("Users", EXT + ":employeeCode eq \"" + code + "\"", null)
                .json()
                .get("totalResults")
                .asInt())
        .isZero();
    assertThat(
            scim.filter("Users", EXT + ":clearance ge 3 and externalId eq \"" + code + "\"", null)
                .json()
                .get("totalResults")
                .asInt())
        .isEqualTo(1);

    // A wrong type is 400; the value another user holds is 409.
    Scim.Reply badType =
        scim.patch(
            "/Users/" + id,
            "{\"schemas\":[\""
                + PATCH_OP
                + "\"],\"Operations\":[{\"op\":\"Replace\",\"path\":\""
                + EXT
                + ":clearance\",\"value\":\"high\"}]}");
    assertThat(badType.status()).as(badType.toString()).isEqualTo(400);
    Scim.Reply duplicate =
        scim.post(
            "/Users",
            "{\"schemas\":[\""
                + CORE
                + "\",\""
                + EXT
                + "\"],\"userName\":\"dup-"
                + userName
                + "\",\""
                + EXT
                + "\":{\"employeeCode\":\""
                + newCode
                + "\"}}");
    assertThat(duplicate.status()).as(duplicate.toString()).isEqualTo(409);
    assertThat(duplicate.json().get("scimType").asText()).isEqualTo("uniqueness");

    // Another tenant cannot filter on it.
    assertThat(other.filter("Users", EXT + ":employeeCode eq \"" + newCode + "\"", null).status())
        .isEqualTo(400);

    assertThat(scim.delete("/Users/" + id).status()).isEqualTo(204);
    assertThat(
            scim.filter("Users", EXT + ":employeeCode eq \"" + newCode + "\"", null)
                .json()
                .get("totalResults")
                .asInt())
        .isZero();
  }

  /**
   * Uniqueness holds under concurrency: creates carrying one value, sent at once (each passes the
   * gateway's early check, none of the others being stored yet), are decided by the processor's
   * claim in its transaction: exactly one is created, the others get 409 uniqueness, none a 5xx. A
   * PATCH that spells the attribute differently and sends Entra's "True" is stored in the declared
   * spelling and type.
   */
  @Test
  void concurrentWritesOfOneUniqueValueCreateOneUser() throws Exception {
    String code = "RACE-" + UUID.randomUUID().toString().substring(0, 8);
    int writers = 8;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
    try {
      var start = new java.util.concurrent.CountDownLatch(1);
      java.util.List<java.util.concurrent.Future<Scim.Reply>> replies = new java.util.ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String body =
            "{\"schemas\":[\""
                + CORE
                + "\",\""
                + EXT
                + "\"],\"userName\":\"racer-"
                + i
                + "-"
                + code
                + "@fabrikam.com\",\""
                + EXT
                + "\":{\"employeeCode\":\""
                + (i % 2 == 0 ? code : code.toLowerCase())
                + "\"}}";
        replies.add(
            pool.submit(
                () -> {
                  start.await();
                  return scim.post("/Users", body);
                }));
      }
      start.countDown();
      int created = 0;
      String id = null;
      for (var future : replies) {
        Scim.Reply reply = future.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(reply.status()).as(reply.toString()).isIn(201, 409);
        if (reply.status() == 201) {
          created++;
          id = reply.json().get("id").asText();
        } else {
          assertThat(reply.json().get("scimType").asText()).isEqualTo("uniqueness");
        }
      }
      assertThat(created).isEqualTo(1);
      assertThat(
              scim.filter("Users", EXT + ":employeeCode eq \"" + code + "\"", null)
                  .json()
                  .get("totalResults")
                  .asInt())
          .isEqualTo(1);

      Scim.Reply patched =
          scim.patch(
              "/Users/" + id,
              "{\"schemas\":[\""
                  + PATCH_OP
                  + "\"],\"Operations\":[{\"op\":\"Replace\",\"path\":\""
                  + EXT
                  + ":EMPLOYEECODE\",\"value\":\""
                  + code
                  + "-2\"}]}");
      assertThat(patched.status()).as(patched.toString()).isIn(200, 204);
      JsonNode stored = scim.get("/Users/" + id).json().get(EXT);
      assertThat(stored.get("employeeCode").asText()).isEqualTo(code + "-2");
      assertThat(stored.has("EMPLOYEECODE")).isFalse();
      assertThat(scim.delete("/Users/" + id).status()).isEqualTo(204);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Okta's shape: it matches on {@code userName}, creates with the extension in the body, pushes
   * profile changes as a full PUT (an attribute it leaves out is removed) and deactivates with a
   * PATCH of {@code active}.
   */
  @Test
  void oktaCycleCarriesCustomAttributesInFullBodies() {
    String code = "OKTA-" + UUID.randomUUID().toString().substring(0, 8);
    String userName = "sam-" + code + "@fabrikam.com";
    Scim.Reply miss = scim.filter("Users", "userName eq \"" + userName + "\"", null);
    assertThat(miss.json().get("totalResults").asInt()).isZero();

    Scim.Reply created = scim.post("/Users", oktaUser(userName, code, ",\"clearance\":1"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().get("id").asText();
    assertThat(created.json().at("/" + EXT.replace("/", "~1") + "/clearance").asInt()).isEqualTo(1);

    // Okta's profile push: the whole user again, the clearance no longer mapped.
    String newCode = code + "-2";
    Scim.Reply replaced = scim.put("/Users/" + id, oktaUser(userName, newCode, ""));
    assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
    JsonNode ext = replaced.json().get(EXT);
    assertThat(ext.get("employeeCode").asText()).isEqualTo(newCode);
    assertThat(ext.has("clearance")).isFalse();
    assertThat(
            scim.filter("Users", EXT + ":employeeCode eq \"" + newCode + "\"", null)
                .json()
                .get("totalResults")
                .asInt())
        .isEqualTo(1);

    // A PUT with the wrong type for a declared attribute changes nothing.
    Scim.Reply badType =
        scim.put("/Users/" + id, oktaUser(userName, newCode, ",\"clearance\":\"top secret\""));
    assertThat(badType.status()).as(badType.toString()).isEqualTo(400);
    assertThat(badType.json().get("scimType").asText()).isEqualTo("invalidValue");

    Scim.Reply deactivated =
        scim.patch(
            "/Users/" + id,
            "{\"schemas\":[\""
                + PATCH_OP
                + "\"],\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":false}}]}");
    assertThat(deactivated.status()).as(deactivated.toString()).isIn(200, 204);
    JsonNode stored = scim.get("/Users/" + id).json();
    assertThat(stored.get("active").asBoolean()).isFalse();
    assertThat(stored.get(EXT).get("employeeCode").asText()).isEqualTo(newCode);
  }

  private static String oktaUser(String userName, String code, String more) {
    return "{\"schemas\":[\""
        + CORE
        + "\",\""
        + EXT
        + "\"],\"userName\":\""
        + userName
        + "\",\"name\":{\"givenName\":\"Sam\",\"familyName\":\"Okta\"},\"emails\":[{\"primary\":true,"
        + "\"value\":\""
        + userName
        + "\",\"type\":\"work\"}],\"displayName\":\"Sam Okta\",\"active\":true,\""
        + EXT
        + "\":{\"employeeCode\":\""
        + code
        + "\""
        + more
        + "}}";
  }
}
