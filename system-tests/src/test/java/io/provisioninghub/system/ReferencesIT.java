package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * References and links are the server's (issue 14, point 6): a manager must be a user of the same
 * tenant, its {@code $ref} and displayName are computed, links never come from the client's Host
 * header, and no SCIM answer may be cached.
 */
class ReferencesIT {

  static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

  static Scim scim;
  static Scim other;

  @BeforeAll
  static void target() {
    scim = SystemUnderTest.get().tenantA;
    other = SystemUnderTest.get().tenantB;
  }

  @Test
  void managerLinksAreComputedAndFollowTheManager() {
    String managerId = create(scim, "mgr", "Mia Manager", null);
    // A client's $ref and displayName are not kept: the first was a script URI once.
    Scim.Reply created =
        scim.post(
            "/Users",
            user(
                Scim.uniqueName("report"),
                "Rey Report",
                "{\"value\":\""
                    + managerId
                    + "\",\"$ref\":\"javascript:alert(1)\",\"displayName\":\"Not The Manager\"}"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode manager = created.json().get(ENTERPRISE).get("manager");
    assertThat(manager.get("value").asText()).isEqualTo(managerId);
    assertThat(manager.get("$ref").asText()).isEqualTo(scim.baseUrl() + "/Users/" + managerId);
    assertThat(manager.get("displayName").asText()).isEqualTo("Mia Manager");
    assertThat(created.toString()).doesNotContain("javascript").doesNotContain("Not The Manager");

    String reportId = created.json().get("id").asText();
    Scim.Reply renamed =
        scim.patch(
            "/Users/" + managerId,
            "{\"schemas\":[\""
                + PATCH_OP
                + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\","
                + "\"value\":\"Mia Boss\"}]}");
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    JsonNode read = scim.get("/Users/" + reportId).json().get(ENTERPRISE).get("manager");
    assertThat(read.get("displayName").asText()).isEqualTo("Mia Boss");
    assertThat(read.get("$ref").asText()).isEqualTo(scim.baseUrl() + "/Users/" + managerId);

    // Entra sets the manager by PATCH with a bare id; an empty value removes it.
    String second = create(scim, "mgr2", "Max Manager", null);
    Scim.Reply moved =
        scim.patch(
            "/Users/" + reportId,
            "{\"schemas\":[\""
                + PATCH_OP
                + "\"],\"Operations\":[{\"op\":\"Replace\",\"path\":\""
                + ENTERPRISE
                + ":manager\",\"value\":\""
                + second
                + "\"}]}");
    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    assertThat(moved.json().get(ENTERPRISE).get("manager").get("displayName").asText())
        .isEqualTo("Max Manager");
    Scim.Reply cleared =
        scim.patch(
            "/Users/" + reportId,
            "{\"schemas\":[\""
                + PATCH_OP
                + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\""
                + ENTERPRISE
                + ":manager\",\"value\":{\"value\":\"\"}}]}");
    assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
    assertThat(cleared.json().path(ENTERPRISE).has("manager")).isFalse();
  }

  @Test
  void aManagerOfAnotherTenantOrNoOneIsRefused() {
    String foreign = create(other, "foreign", "Fay Foreign", null);
    for (String value : new String[] {foreign, UUID.randomUUID().toString(), "not-a-user"}) {
      Scim.Reply refused =
          scim.post(
              "/Users",
              user(Scim.uniqueName("orphan"), "Otto Orphan", "{\"value\":\"" + value + "\"}"));
      assertThat(refused.status()).as(value + ": " + refused).isEqualTo(400);
      assertThat(refused.json().get("scimType").asText()).isEqualTo("invalidValue");
      assertThat(refused.json().get("detail").asText()).contains("manager");
    }
    String id = create(scim, "stays", "Stan Stays", null);
    Scim.Reply patched =
        scim.patch(
            "/Users/" + id,
            "{\"schemas\":[\""
                + PATCH_OP
                + "\"],\"Operations\":[{\"op\":\"add\",\"path\":\""
                + ENTERPRISE
                + ":manager\",\"value\":\""
                + foreign
                + "\"}]}");
    assertThat(patched.status()).as(patched.toString()).isEqualTo(400);
    assertThat(scim.get("/Users/" + id).json().path(ENTERPRISE).has("manager")).isFalse();
  }

  @Test
  void linksComeFromTheServerNotFromTheHostHeader() throws Exception {
    String userName = Scim.uniqueName("host");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "evil.example");
    headers.put("X-Forwarded-Host", "evil.example");
    headers.put("X-Forwarded-Proto", "https");
    headers.put("Forwarded", "host=evil.example;proto=https");
    headers.put("Authorization", "Bearer " + scim.token());
    headers.put("Content-Type", "application/scim+json");
    URI base = URI.create(scim.baseUrl());
    RawRequest.Response created =
        new RawRequest(
                "POST",
                base.getPath() + "/Users",
                headers,
                user(userName, "Hal Host", null).getBytes(StandardCharsets.UTF_8))
            .send(base, 30_000);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.headers().get("location")).startsWith(scim.baseUrl() + "/Users/");
    assertThat(created.text()).doesNotContain("evil.example");
    String id = created.headers().get("location").substring((scim.baseUrl() + "/Users/").length());

    RawRequest.Response read =
        new RawRequest("GET", base.getPath() + "/Users/" + id, headers, null).send(base, 30_000);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.text()).contains(scim.baseUrl() + "/Users/" + id).doesNotContain("evil");
  }

  @Test
  void noScimAnswerMayBeCached() {
    String id = create(scim, "cache", "Cary Cache", null);
    assertThat(scim.get("/Users/" + id).header("Cache-Control")).isEqualTo("no-store");
    assertThat(scim.get("/Users?count=1").header("Cache-Control")).isEqualTo("no-store");
    assertThat(scim.get("/Users/" + UUID.randomUUID()).header("Cache-Control"))
        .isEqualTo("no-store");
    assertThat(scim.as(null).get("/Users").header("Cache-Control")).isEqualTo("no-store");
    assertThat(scim.get("/ServiceProviderConfig").header("Cache-Control")).isEqualTo("no-store");
  }

  private static String create(Scim client, String prefix, String displayName, String manager) {
    Scim.Reply reply = client.post("/Users", user(Scim.uniqueName(prefix), displayName, manager));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    return reply.json().get("id").asText();
  }

  private static String user(String userName, String displayName, String managerJson) {
    return "{\"schemas\":[\""
        + Scim.USER_SCHEMA
        + "\",\""
        + ENTERPRISE
        + "\"],\"userName\":\""
        + userName
        + "\",\"displayName\":\""
        + displayName
        + "\""
        + (managerJson == null ? "" : ",\"" + ENTERPRISE + "\":{\"manager\":" + managerJson + "}")
        + "}";
  }
}
