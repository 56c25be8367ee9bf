package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Discovery, errors, ETags and paging as RFC 7643/7644 define them. */
class ScimProtocolIT {

  static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
  static Scim scim;

  @BeforeAll
  static void target() {
    scim = SystemUnderTest.get().tenantA;
  }

  @Test
  void discoveryIsCompleteAndTruthful() {
    JsonNode config = scim.get("/ServiceProviderConfig").json();
    assertThat(config.at("/patch/supported").booleanValue()).isTrue();
    assertThat(config.at("/bulk/supported").booleanValue()).isTrue();
    assertThat(config.at("/bulk/maxOperations").asInt()).isPositive();
    assertThat(config.at("/bulk/maxPayloadSize").asInt()).isPositive();
    assertThat(config.at("/filter/supported").booleanValue()).isTrue();
    assertThat(config.at("/filter/maxResults").asInt())
        .isEqualTo(config.at("/pagination/maxPageSize").asInt())
        .isEqualTo(SystemUnderTest.get().ownsSystem() ? SystemUnderTest.MAX_RESULTS : 1000);
    assertThat(config.at("/etag/supported").booleanValue()).isTrue();
    assertThat(config.at("/sort/supported").booleanValue()).isTrue();
    assertThat(config.toString()).doesNotContain("null");

    JsonNode types = scim.get("/ResourceTypes").json();
    assertThat(types.toString()).contains("\"User\"").contains("\"Group\"").doesNotContain("null");
    JsonNode schemas = scim.get("/Schemas").json();
    assertThat(schemas.toString())
        .contains("urn:ietf:params:scim:schemas:core:2.0:User")
        .contains("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
        .doesNotContain(":null");
    assertThat(scim.get("/ResourceTypes/User").status()).isEqualTo(200);
    assertThat(scim.get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group").status())
        .isEqualTo(200);
  }

  /** The advertised bulk limits are the enforced ones: one operation or one byte more is 413. */
  @Test
  void bulkLimitsAreTheAdvertisedOnes() {
    JsonNode bulk = scim.get("/ServiceProviderConfig").json().get("bulk");
    int maxOperations = bulk.get("maxOperations").asInt();
    StringBuilder ops = new StringBuilder();
    for (int i = 0; i <= maxOperations; i++) {
      ops.append(i == 0 ? "" : ",")
          .append("{\"method\":\"DELETE\",\"path\":\"/Users/")
          .append(UUID.randomUUID())
          .append("\"}");
    }
    String tooMany =
        "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"Operations\":["
            + ops
            + "]}";
    assertError(scim.post("/Bulk", tooMany), 413, null);

    int maxPayloadSize = bulk.get("maxPayloadSize").asInt();
    String prefix =
        "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"Operations\":[],"
            + "\"padding\":\"";
    String tooBig = prefix + "x".repeat(maxPayloadSize - prefix.length() - 1) + "\"}";
    assertThat(tooBig.getBytes(StandardCharsets.UTF_8)).hasSize(maxPayloadSize + 1);
    assertError(scim.post("/Bulk", tooBig), 413, null);
    String justFits = prefix + "x".repeat(maxPayloadSize - prefix.length() - 2) + "\"}";
    assertThat(scim.post("/Bulk", justFits).status()).isEqualTo(200);
  }

  @Test
  void badInputGetsTheRightScimErrorAndNever5xx() {
    assertError(scim.post("/Users", "{\"schemas\":"), 400, "invalidSyntax");
    assertError(scim.post("/Users", "[]"), 400, "invalidSyntax");
    assertError(scim.filter("Users", "userName eq", null), 400, "invalidFilter");
    assertError(scim.filter("Users", "noSuchAttribute eq \"x\"", null), 400, "invalidFilter");
    assertError(scim.filter("Users", "userName xx \"x\"", null), 400, "invalidFilter");
    String id = scim.createUser(Scim.uniqueName("errors")).json().get("id").asText();
    assertError(
        scim.patch(
            "/Users/" + id,
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                + "\"Operations\":[{\"op\":\"replace\",\"path\":\"id\",\"value\":\"x\"}]}"),
        400,
        "mutability");
    assertError(scim.patch("/Users/" + id, "{\"Operations\":\"nope\"}"), 400, null);
    assertError(scim.get("/Users/" + UUID.randomUUID()), 404, null);
    assertError(
        scim.put("/Users/" + UUID.randomUUID(), userJson(Scim.uniqueName("ghost"))), 404, null);
    assertError(
        scim.patch(
            "/Users/" + UUID.randomUUID(),
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}"),
        404,
        null);
    assertError(scim.delete("/Users/" + UUID.randomUUID()), 404, null);
    assertError(scim.delete("/Users/not-a-uuid"), 404, null);
    byte[] huge =
        ("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
                + "x".repeat(2 * 1024 * 1024)
                + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    assertError(scim.postRaw("/Users", "application/scim+json", huge), 413, null);
  }

  @Test
  void etagsAreHonoured() {
    Scim.Reply created = scim.createUser(Scim.uniqueName("etag"));
    String id = created.json().get("id").asText();
    String etag = created.header("ETag");
    assertThat(etag).isEqualTo("W/\"1\"");

    assertThat(scim.get("/Users/" + id, "If-None-Match", etag).status()).isEqualTo(304);
    assertThat(scim.get("/Users/" + id, "If-None-Match", "W/\"9\"").status()).isEqualTo(200);

    String replace =
        "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
            + "\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"New\"}]}";
    assertError(scim.patch("/Users/" + id, replace, "If-Match", "W/\"7\""), 412, null);
    Scim.Reply ok = scim.patch("/Users/" + id, replace, "If-Match", etag);
    assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    assertThat(ok.header("ETag")).isEqualTo("W/\"2\"");
    assertError(scim.delete("/Users/" + id, "If-Match", etag), 412, null);
    assertThat(scim.delete("/Users/" + id, "If-Match", "W/\"2\"").status()).isEqualTo(204);
  }

  @Test
  void pagesAreStableAndNeverOverlap() {
    String prefix = "page-" + UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < 7; i++) {
      assertThat(scim.createUser(prefix + "-" + i + "@example.com").status()).isEqualTo(201);
    }
    Set<String> seen = new HashSet<>();
    for (int start = 1; start <= 7; start += 3) {
      JsonNode page =
          scim.filter(
                  "Users",
                  "userName sw \"" + prefix + "\"",
                  "startIndex=" + start + "&count=3&sortBy=userName")
              .json();
      assertThat(page.get("totalResults").asInt()).isEqualTo(7);
      assertThat(page.get("startIndex").asInt()).isEqualTo(start);
      assertThat(page.get("itemsPerPage").asInt()).isEqualTo(page.get("Resources").size());
      page.get("Resources").forEach(r -> assertThat(seen.add(r.get("id").asText())).isTrue());
    }
    assertThat(seen).hasSize(7);
    // A first page that holds every match answers its own total (no count query is run).
    JsonNode whole = scim.filter("Users", "userName sw \"" + prefix + "\"", "count=10").json();
    assertThat(whole.get("totalResults").asInt()).isEqualTo(7);
    assertThat(whole.get("Resources")).hasSize(7);
    JsonNode miss =
        scim.filter("Users", "userName eq \"" + prefix + "-none@example.com\"", "count=100").json();
    assertThat(miss.get("totalResults").asInt()).isZero();
    assertThat(miss.path("Resources")).isEmpty();
    JsonNode projected =
        scim.filter("Users", "userName sw \"" + prefix + "\"", "attributes=userName&count=1")
            .json();
    assertThat(projected.at("/Resources/0").has("userName")).isTrue();
    assertThat(projected.at("/Resources/0").has("id")).isTrue();
    assertThat(projected.at("/Resources/0").has("active")).isFalse();
  }

  @Test
  void cursorPagingWalksEveryMatchOnceAndRefusesForeignCursors() {
    String prefix = "cursor-" + UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < 5; i++) {
      assertThat(scim.createUser(prefix + "-" + i + "@example.com").status()).isEqualTo(201);
    }
    Set<String> seen = new HashSet<>();
    String cursor = "";
    int pages = 0;
    while (cursor != null) {
      JsonNode page =
          scim.filter("Users", "userName sw \"" + prefix + "\"", "count=2&cursor=" + cursor).json();
      assertThat(page.get("totalResults").asInt()).isEqualTo(5);
      page.get("Resources").forEach(r -> assertThat(seen.add(r.get("id").asText())).isTrue());
      cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
      assertThat(++pages).isLessThanOrEqualTo(3);
    }
    assertThat(seen).hasSize(5);
    assertError(scim.get("/Users?count=2&cursor=not-ours"), 400, "invalidCursor");
    JsonNode config = scim.get("/ServiceProviderConfig").json();
    assertThat(config.at("/pagination/cursor").booleanValue()).isTrue();
  }

  private static String userJson(String userName) {
    return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
        + userName
        + "\"}";
  }

  private static void assertError(Scim.Reply reply, int status, String scimType) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    assertThat(reply.header("Content-Type")).startsWith("application/scim+json");
    JsonNode body = reply.json();
    assertThat(body.get("schemas").get(0).asText()).isEqualTo(ERROR);
    assertThat(body.get("status").asText()).isEqualTo(Integer.toString(status));
    if (scimType != null) {
      assertThat(body.get("scimType").asText()).isEqualTo(scimType);
    }
  }
}
