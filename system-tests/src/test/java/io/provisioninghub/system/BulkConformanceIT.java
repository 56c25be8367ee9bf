package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /Bulk} (RFC 7644 section 3.7) end to end, in the shape bulk-capable clients (Okta's
 * SCIM 2.0 test suite, HR and IGA tools) send it: users and a group naming them by bulkId in one
 * request, updates and deletes by id, failOnErrors, and a bad operation that gets its own SCIM
 * error while the others are applied.
 */
class BulkConformanceIT {

  static final String BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
  static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
  static final String PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
  static Scim scim;

  @BeforeAll
  static void target() {
    scim = SystemUnderTest.get().tenantA;
  }

  @Test
  void usersAndAGroupOfThemInOneRequestThenUpdatesAndDeletes() {
    String alice = Scim.uniqueName("bulk-alice");
    String bob = Scim.uniqueName("bulk-bob");
    String team = "bulk-team-" + UUID.randomUUID();
    // The group comes first: the gateway runs it once the users it names exist.
    Scim.Reply created =
        scim.post(
            "/Bulk",
            bulk(
                null,
                op("POST", "/Groups", "team", group(team, "bulkId:alice", "bulkId:bob")),
                op("POST", "/Users", "alice", user(alice, true)),
                op("POST", "/Users", "bob", user(bob, true))));
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    JsonNode ops = created.json().get("Operations");
    assertThat(created.json().get("schemas").get(0).asText())
        .isEqualTo("urn:ietf:params:scim:api:messages:2.0:BulkResponse");
    assertThat(ops).hasSize(3);
    for (JsonNode op : ops) {
      assertThat(op.get("status").asText()).as(op.toString()).isEqualTo("201");
      assertThat(op.get("method").asText()).isEqualTo("POST");
      assertThat(op.get("version").asText()).isEqualTo("W/\"1\"");
    }
    String groupLocation = ops.get(0).get("location").asText();
    String aliceLocation = ops.get(1).get("location").asText();
    String bobLocation = ops.get(2).get("location").asText();
    assertThat(groupLocation).startsWith(scim.baseUrl() + "/Groups/");
    assertThat(aliceLocation).startsWith(scim.baseUrl() + "/Users/");
    String groupId = idOf(groupLocation);
    String aliceId = idOf(aliceLocation);
    String bobId = idOf(bobLocation);

    JsonNode stored = scim.get("/Groups/" + groupId).json();
    assertThat(stored.get("displayName").asText()).isEqualTo(team);
    assertThat(stored.get("members").findValuesAsText("value"))
        .containsExactlyInAnyOrder(aliceId, bobId);
    assertThat(scim.get("/Users/" + aliceId).json().get("userName").asText()).isEqualTo(alice);

    // Deactivate alice with PUT (with her version), drop bob from the group, delete bob.
    Scim.Reply changed =
        scim.post(
            "/Bulk",
            bulk(
                null,
                op("PUT", "/Users/" + aliceId, null, user(alice, false), "W/\\\"1\\\""),
                op(
                    "PATCH",
                    "/Groups/" + groupId,
                    null,
                    "{\"schemas\":[\""
                        + PATCH
                        + "\"],\"Operations\":[{\"op\":\"remove\",\"path\":\"members[value eq \\\""
                        + bobId
                        + "\\\"]\"}]}"),
                op("DELETE", "/Users/" + bobId, null, null)));
    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    JsonNode results = changed.json().get("Operations");
    assertThat(results.get(0).get("status").asText()).as(results.toString()).isEqualTo("200");
    assertThat(results.get(0).get("version").asText()).isEqualTo("W/\"2\"");
    assertThat(results.get(0).get("location").asText()).isEqualTo(aliceLocation);
    assertThat(results.get(1).get("status").asText()).isIn("200", "204");
    assertThat(results.get(2).get("status").asText()).isEqualTo("204");
    assertThat(scim.get("/Users/" + aliceId).json().get("active").booleanValue()).isFalse();
    assertThat(scim.get("/Users/" + bobId).status()).isEqualTo(404);
    assertThat(scim.get("/Groups/" + groupId).json().path("members").findValuesAsText("value"))
        .containsExactly(aliceId);

    // A stale version is the operation's 412, as for a single request.
    Scim.Reply stale =
        scim.post(
            "/Bulk",
            bulk(null, op("PUT", "/Users/" + aliceId, null, user(alice, true), "W/\\\"1\\\"")));
    assertThat(stale.json().at("/Operations/0/status").asText()).isEqualTo("412");
    assertThat(stale.json().at("/Operations/0/response/status").asText()).isEqualTo("412");
  }

  @Test
  void aBadOperationGetsItsErrorWhileTheOthersAreApplied() {
    String existing = Scim.uniqueName("bulk-existing");
    assertThat(scim.createUser(existing).status()).isEqualTo(201);
    String fresh = Scim.uniqueName("bulk-fresh");
    Scim.Reply reply =
        scim.post(
            "/Bulk",
            bulk(
                null,
                op("POST", "/Users", "dup", user(existing, true)),
                op("POST", "/Users", "fresh", user(fresh, true)),
                op("POST", "/Users", "broken", "{\"schemas\":[\"" + USER + "\"],\"active\":1}"),
                op("POST", "/Groups", "g", group("bulk-g-" + UUID.randomUUID(), "bulkId:dup")),
                op("DELETE", "/Users/" + UUID.randomUUID(), null, null)));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    JsonNode ops = reply.json().get("Operations");
    List<String> statuses = new ArrayList<>();
    ops.forEach(op -> statuses.add(op.get("status").asText()));
    assertThat(statuses).as(ops.toString()).containsExactly("409", "201", "400", "409", "404");
    assertThat(ops.get(0).at("/response/scimType").asText()).isEqualTo("uniqueness");
    assertThat(ops.get(0).at("/response/schemas/0").asText())
        .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
    assertThat(ops.get(0).has("location")).isFalse();
    assertThat(ops.get(2).at("/response/scimType").asText()).isEqualTo("invalidValue");
    String freshId = idOf(ops.get(1).get("location").asText());
    assertThat(scim.get("/Users/" + freshId).json().get("userName").asText()).isEqualTo(fresh);
  }

  @Test
  void failOnErrorsStopsTheRequest() {
    String never = Scim.uniqueName("bulk-never");
    Scim.Reply reply =
        scim.post(
            "/Bulk",
            bulk(
                1,
                op("POST", "/Users", "bad", "{\"schemas\":[\"" + USER + "\"]}"),
                op("POST", "/Users", "never", user(never, true))));
    assertThat(reply.status()).isEqualTo(200);
    JsonNode ops = reply.json().get("Operations");
    assertThat(ops).hasSize(1);
    assertThat(ops.get(0).get("bulkId").asText()).isEqualTo("bad");
    assertThat(ops.get(0).get("status").asText()).isEqualTo("400");
    assertThat(
            scim.filter("Users", "userName eq \"" + never + "\"", null)
                .json()
                .get("totalResults")
                .asInt())
        .isZero();
  }

  private static String idOf(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }

  static String bulk(Integer failOnErrors, String... operations) {
    return "{\"schemas\":[\""
        + BULK_REQUEST
        + "\"],"
        + (failOnErrors == null ? "" : "\"failOnErrors\":" + failOnErrors + ",")
        + "\"Operations\":["
        + String.join(",", operations)
        + "]}";
  }

  static String op(String method, String path, String bulkId, String data) {
    return op(method, path, bulkId, data, null);
  }

  static String op(String method, String path, String bulkId, String data, String version) {
    return "{\"method\":\""
        + method
        + "\",\"path\":\""
        + path
        + "\""
        + (bulkId == null ? "" : ",\"bulkId\":\"" + bulkId + "\"")
        + (version == null ? "" : ",\"version\":\"" + version + "\"")
        + (data == null ? "" : ",\"data\":" + data)
        + "}";
  }

  static String user(String userName, boolean active) {
    return "{\"schemas\":[\""
        + USER
        + "\"],\"userName\":\""
        + userName
        + "\",\"name\":{\"givenName\":\"Bulk\",\"familyName\":\"User\"},\"emails\":[{\"primary\":true,"
        + "\"value\":\""
        + userName
        + "\",\"type\":\"work\"}],\"active\":"
        + active
        + "}";
  }

  static String group(String displayName, String... members) {
    StringBuilder m = new StringBuilder();
    for (String member : members) {
      m.append(m.length() == 0 ? "" : ",").append("{\"value\":\"").append(member).append("\"}");
    }
    return "{\"schemas\":[\""
        + GROUP
        + "\"],\"displayName\":\""
        + displayName
        + "\",\"members\":["
        + m
        + "]}";
  }
}
