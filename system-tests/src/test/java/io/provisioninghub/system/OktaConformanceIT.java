package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An Okta-style cycle: userName lookups, PUT-based updates and group push. */
class OktaConformanceIT {

  static Scim scim;

  @BeforeAll
  static void target() {
    scim = SystemUnderTest.get().tenantA;
  }

  @Test
  void putBasedUserLifecycleAndGroupPush() {
    String userName = "okta-" + UUID.randomUUID() + "@example.com";
    Scim.Reply lookup =
        scim.filter("Users", "userName eq \"" + userName + "\"", "startIndex=1&count=100");
    assertThat(lookup.status()).isEqualTo(200);
    assertThat(lookup.json().get("totalResults").asInt()).isZero();

    String body =
        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"%s\","
            + "\"name\":{\"givenName\":\"%s\",\"familyName\":\"Doe\"},\"emails\":[{\"primary\":true,"
            + "\"value\":\"%s\",\"type\":\"work\"}],\"displayName\":\"%s Doe\",\"active\":%s}";
    Scim.Reply created =
        scim.post("/Users", body.formatted(userName, "John", userName, "John", "true"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().get("id").asText();

    Scim.Reply replaced =
        scim.put(
            "/Users/" + id,
            "{\"id\":\""
                + id
                + "\","
                + body.formatted(userName, "Johnny", userName, "Johnny", "true").substring(1));
    assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
    assertThat(replaced.json().at("/name/givenName").asText()).isEqualTo("Johnny");
    assertThat(replaced.json().get("id").asText()).isEqualTo(id);
    assertThat(replaced.header("ETag")).isEqualTo("W/\"2\"");

    Scim.Reply deactivated =
        scim.put("/Users/" + id, body.formatted(userName, "Johnny", userName, "Johnny", "false"));
    assertThat(deactivated.status()).isEqualTo(200);
    assertThat(deactivated.json().get("active").booleanValue()).isFalse();
    assertThat(scim.get("/Users/" + id).json().get("active").booleanValue()).isFalse();

    // Group push: create, set members with PATCH replace, then rename with PUT keeping members.
    String other = scim.createUser(Scim.uniqueName("okta-member")).json().get("id").asText();
    String groupName = "Engineering-" + UUID.randomUUID();
    Scim.Reply group =
        scim.post(
            "/Groups",
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\""
                + groupName
                + "\",\"members\":[]}");
    assertThat(group.status()).isEqualTo(201);
    String groupId = group.json().get("id").asText();
    Scim.Reply push =
        scim.patch(
            "/Groups/" + groupId,
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":"
                + "\"replace\",\"path\":\"members\",\"value\":[{\"value\":\""
                + id
                + "\",\"display\":\""
                + userName
                + "\"},{\"value\":\""
                + other
                + "\"}]}]}");
    assertThat(push.status()).as(push.toString()).isIn(200, 204);
    assertThat(scim.get("/Groups/" + groupId).json().get("members")).hasSize(2);

    Scim.Reply renamed =
        scim.put(
            "/Groups/" + groupId,
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\""
                + groupName
                + "-renamed\",\"members\":[{\"value\":\""
                + other
                + "\"}]}");
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    JsonNode g = scim.get("/Groups/" + groupId).json();
    assertThat(g.get("displayName").asText()).endsWith("-renamed");
    assertThat(g.get("members")).hasSize(1);
    assertThat(g.at("/members/0/value").asText()).isEqualTo(other);
  }
}
