package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A whole Entra ID provisioning cycle, in the order and with the request shapes the Entra
 * provisioning service uses, against a running gateway (see {@link SystemUnderTest}).
 */
class EntraConformanceIT {

  static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  static final String CUSTOM = "urn:ietf:params:scim:schemas:extension:contoso:2.0:User";
  static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
  static Scim scim;

  @BeforeAll
  static void target() {
    scim = SystemUnderTest.get().tenantA;
  }

  @Test
  void fullCycle() {
    // Test connection: a filter on a random GUID must answer 200 with no resources, never 404.
    Scim.Reply probe = scim.filter("Users", "userName eq \"" + UUID.randomUUID() + "\"", null);
    assertThat(probe.status()).as(probe.toString()).isEqualTo(200);
    assertThat(probe.json().get("totalResults").asInt()).isZero();
    assertThat(probe.json().get("Resources")).isEmpty();
    assertThat(probe.json().get("itemsPerPage").asInt()).isZero();
    assertThat(probe.json().get("startIndex").asInt()).isEqualTo(1);

    // Match by filter before create: a miss. Then create a B2B guest with the enterprise extension.
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String userName = "alice_contoso.com#EXT#" + suffix + "@fabrikam.onmicrosoft.com";
    String externalId = "ext-" + suffix;
    assertThat(
            scim.filter("Users", "userName eq \"" + userName + "\"", null)
                .json()
                .get("totalResults")
                .asInt())
        .isZero();
    Scim.Reply created =
        scim.post(
            "/Users",
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\",\""
                + ENTERPRISE
                + "\",\""
                + CUSTOM
                + "\"],\""
                + CUSTOM
                + "\":{\"costCenter\":\"CC-7\"},\"externalId\":\""
                + externalId
                + "\",\"userName\":\""
                + userName
                + "\",\"active\":true,\"displayName\":\"Álice Ünïcode\",\"emails\":[{\"primary\":true,"
                + "\"type\":\"work\",\"value\":\"alice-"
                + suffix
                + "@contoso.com\"}],\"meta\":{\"resourceType\":\"User\"},\"name\":{\"formatted\":\"Alice"
                + " A\",\"familyName\":\"A\",\"givenName\":\"Alice\"},\"roles\":[],\"phoneNumbers\":["
                + "{\"type\":\"work\",\"value\":\"+1 (425) 555-0100\"}],\""
                + ENTERPRISE
                + "\":{\"department\":\"Sales\",\"employeeNumber\":\"42\"}}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode user = created.json();
    String id = user.get("id").asText();
    assertThat(created.header("Location")).isEqualTo(user.at("/meta/location").asText());
    assertThat(user.get("userName").asText()).isEqualTo(userName);
    assertThat(user.at("/phoneNumbers/0/value").asText()).isEqualTo("+1 (425) 555-0100");
    assertThat(user.at("/" + ENTERPRISE.replace("/", "~1") + "/department").asText())
        .isEqualTo("Sales");
    assertThat(user.get("schemas").toString()).contains(ENTERPRISE).contains(CUSTOM);
    assertThat(user.at("/" + CUSTOM.replace("/", "~1") + "/costCenter").asText()).isEqualTo("CC-7");

    // Match by filter: userName, externalId, and the email value, case-insensitively for userName.
    Scim.Reply byName =
        scim.filter("Users", "userName eq \"" + userName.toUpperCase() + "\"", null);
    assertThat(byName.json().get("totalResults").asInt()).isEqualTo(1);
    assertThat(byName.json().at("/Resources/0/id").asText()).isEqualTo(id);
    assertThat(
            scim.filter("Users", "externalId eq \"" + externalId + "\"", null)
                .json()
                .get("totalResults")
                .asInt())
        .isEqualTo(1);
    assertThat(
            scim.filter(
                    "Users",
                    "emails[type eq \"work\"].value eq \"ALICE-" + suffix + "@contoso.com\"",
                    null)
                .json()
                .get("totalResults")
                .asInt())
        .isEqualTo(1);

    // Update: Entra's PATCH with no path and dotted/URN keys, and a value path that creates an
    // email.
    Scim.Reply updated =
        scim.patch(
            "/Users/" + id,
            "{\"schemas\":[\""
                + PATCH_OP
                + "\"],\"Operations\":[{\"op\":\"Replace\",\"value\":{\"name.givenName\":\"Alicia\","
                + "\""
                + ENTERPRISE
                + ":department\":\"Marketing\"}},{\"op\":\"Add\",\"path\":\"emails[type eq \\\"home\\\"].value\","
                + "\"value\":\"alice@home.example\"}]}");
    assertThat(updated.status()).as(updated.toString()).isIn(200, 204);
    JsonNode after = scim.get("/Users/" + id).json();
    assertThat(after.at("/name/givenName").asText()).isEqualTo("Alicia");
    assertThat(after.at("/name/familyName").asText()).isEqualTo("A");
    assertThat(after.at("/" + ENTERPRISE.replace("/", "~1") + "/department").asText())
        .isEqualTo("Marketing");
    assertThat(after.get("emails").toString()).contains("alice@home.example").contains("\"home\"");
    assertThat(after.at("/meta/version").asText()).isEqualTo("W/\"2\"");

    // Manager as a plain id string, then removed.
    String managerId = scim.createUser(Scim.uniqueName("boss")).json().get("id").asText();
    Scim.Reply manager =
        scim.patch(
            "/Users/" + id,
            "{\"schemas\":[\""
                + PATCH_OP
                + "\"],\"Operations\":[{\"op\":\"Add\",\"path\":\""
                + ENTERPRISE
                + ":manager\",\"value\":\""
                + managerId
                + "\"}]}");
    assertThat(manager.status()).as(manager.toString()).isIn(200, 204);
    assertThat(
            scim.get("/Users/" + id)
                .json()
                .at("/" + ENTERPRISE.replace("/", "~1") + "/manager/value")
                .asText())
        .isEqualTo(managerId);
    scim.patch(
        "/Users/" + id,
        "{\"schemas\":[\""
            + PATCH_OP
            + "\"],\"Operations\":[{\"op\":\"Remove\",\"path\":\""
            + ENTERPRISE
            + ":manager\"}]}");
    assertThat(
            scim.get("/Users/" + id)
                .json()
                .at("/" + ENTERPRISE.replace("/", "~1") + "/manager")
                .isMissingNode())
        .isTrue();

    // Disable: a PATCH with Entra's string boolean. The user stays readable and filterable.
    Scim.Reply disabled =
        scim.patch(
            "/Users/" + id,
            "{\"schemas\":[\""
                + PATCH_OP
                + "\"],\"Operations\":[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]}");
    assertThat(disabled.status()).as(disabled.toString()).isIn(200, 204);
    JsonNode inactive = scim.get("/Users/" + id).json();
    assertThat(inactive.get("active").isBoolean()).isTrue();
    assertThat(inactive.get("active").booleanValue()).isFalse();
    assertThat(
            scim.filter("Users", "userName eq \"" + userName + "\"", null)
                .json()
                .get("totalResults")
                .asInt())
        .isEqualTo(1);

    // Groups: create with Entra's extra schema, find by displayName without members, add members.
    String groupName = "Sales " + suffix;
    Scim.Reply group =
        scim.post(
            "/Groups",
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\","
                + "\"http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group\"],"
                + "\"displayName\":\""
                + groupName
                + "\",\"externalId\":\"g-"
                + suffix
                + "\",\"members\":[]}");
    assertThat(group.status()).as(group.toString()).isEqualTo(201);
    String groupId = group.json().get("id").asText();
    Scim.Reply found =
        scim.filter("Groups", "displayName eq \"" + groupName + "\"", "excludedAttributes=members");
    assertThat(found.json().get("totalResults").asInt()).isEqualTo(1);
    assertThat(found.json().at("/Resources/0").has("members")).isFalse();

    Scim.Reply added =
        scim.patch(
            "/Groups/" + groupId,
            "{\"schemas\":[\""
                + PATCH_OP
                + "\"],\"Operations\":[{\"op\":\"Add\",\"path\":\"members\",\"value\":[{\"value\":\""
                + id
                + "\"},{\"value\":\""
                + managerId
                + "\"}]}]}");
    assertThat(added.status()).as(added.toString()).isIn(200, 204);
    JsonNode withMembers = scim.get("/Groups/" + groupId).json();
    assertThat(withMembers.get("members")).hasSize(2);
    assertThat(scim.get("/Users/" + id).json().at("/groups/0/value").asText()).isEqualTo(groupId);
    assertThat(
            scim.filter("Groups", "members.value eq \"" + id + "\"", "excludedAttributes=members")
                .json()
                .get("totalResults")
                .asInt())
        .isEqualTo(1);

    Scim.Reply removed =
        scim.patch(
            "/Groups/" + groupId,
            "{\"schemas\":[\""
                + PATCH_OP
                + "\"],\"Operations\":[{\"op\":\"Remove\",\"path\":\"members[value eq \\\""
                + managerId
                + "\\\"]\"}]}");
    assertThat(removed.status()).as(removed.toString()).isIn(200, 204);
    JsonNode oneLeft = scim.get("/Groups/" + groupId).json();
    assertThat(oneLeft.get("members")).hasSize(1);
    assertThat(oneLeft.at("/members/0/value").asText()).isEqualTo(id);

    // Delete: hard delete, then 404 and an empty filter; memberships go with the user.
    assertThat(scim.delete("/Users/" + id).status()).isEqualTo(204);
    assertThat(scim.get("/Users/" + id).status()).isEqualTo(404);
    assertThat(
            scim.filter("Users", "userName eq \"" + userName + "\"", null)
                .json()
                .get("totalResults")
                .asInt())
        .isZero();
    assertThat(scim.get("/Groups/" + groupId).json().has("members")).isFalse();
    assertThat(scim.delete("/Groups/" + groupId).status()).isEqualTo(204);
    assertThat(scim.get("/Groups/" + groupId).status()).isEqualTo(404);
  }
}
