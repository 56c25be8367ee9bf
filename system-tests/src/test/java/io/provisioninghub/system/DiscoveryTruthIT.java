package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.testkit.Infrastructure;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * /ServiceProviderConfig, /ResourceTypes and /Schemas hold what they claim (issue 16 point 6).
 * Every expectation is read from the documents, not written here: a flag that turns true (bulk,
 * once /Bulk exists), a schema or attribute that is added (per-tenant extensions), a limit that
 * changes, is checked against behaviour as it is then advertised. Runs against the production jars,
 * or any gateway ({@code -Dphub.scim.base-url}); checks that need the database run only on a system
 * this JVM started.
 */
class DiscoveryTruthIT {

  static final String CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
  static final String BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
  static final String BULK_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

  static SystemUnderTest sut;
  static Scim scim;
  static JsonNode config;
  static List<JsonNode> resourceTypes;
  static List<JsonNode> schemas;

  @BeforeAll
  static void read() {
    sut = SystemUnderTest.get();
    scim = sut.tenantA;
    config = ok(scim.get("/ServiceProviderConfig")).json();
    resourceTypes = list(ok(scim.get("/ResourceTypes")).json());
    schemas = list(ok(scim.get("/Schemas")).json());
  }

  // ---- ServiceProviderConfig ----------------------------------------------------------------

  @Test
  void patchIsAsAdvertised() {
    String id = createUser("truth-patch").json().get("id").asText();
    Scim.Reply patched = scim.patch("/Users/" + id, replace("displayName", "\"Patched\""));
    if (supported("patch")) {
      assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
      assertThat(ok(scim.get("/Users/" + id)).json().path("displayName").asText())
          .isEqualTo("Patched");
    } else {
      assertThat(patched.status()).as(patched.toString()).isIn(405, 501);
    }
  }

  @Test
  void bulkIsAsAdvertised() {
    String oneCreate =
        "{\"schemas\":[\""
            + BULK_REQUEST
            + "\"],\"Operations\":[{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"b1\","
            + "\"data\":{\"schemas\":[\""
            + CORE_USER
            + "\"],\"userName\":\""
            + Scim.uniqueName("truth-bulk")
            + "\"}}]}";
    Scim.Reply bulk = scim.post("/Bulk", oneCreate);
    if (!supported("bulk")) {
      assertThat(bulk.status()).as(bulk.toString()).isIn(404, 501);
      return;
    }
    int maxOperations = config.at("/bulk/maxOperations").asInt();
    int maxPayloadSize = config.at("/bulk/maxPayloadSize").asInt();
    assertThat(maxOperations).isPositive();
    assertThat(maxPayloadSize).isPositive();
    assertThat(bulk.status()).as(bulk.toString()).isEqualTo(200);
    assertThat(bulk.json().path("schemas").toString()).contains(BULK_RESPONSE);
    assertThat(bulk.json().at("/Operations/0/status").asText()).isEqualTo("201");

    // One operation more than advertised, and a body larger than advertised: 413 with a SCIM body.
    StringBuilder tooMany = new StringBuilder("{\"schemas\":[\"" + BULK_REQUEST + "\"],");
    tooMany.append("\"Operations\":[");
    for (int i = 0; i <= maxOperations; i++) {
      tooMany.append(i == 0 ? "" : ",").append("{\"method\":\"DELETE\",\"path\":\"/Users/x\"}");
    }
    tooMany.append("]}");
    Scim.Reply refused = scim.post("/Bulk", tooMany.toString());
    assertThat(refused.status()).as(refused.toString()).isEqualTo(413);
    assertThat(refused.json().path("status").asText()).isEqualTo("413");
    String padding = "x".repeat(maxPayloadSize);
    Scim.Reply tooLarge =
        scim.post(
            "/Bulk",
            "{\"schemas\":[\""
                + BULK_REQUEST
                + "\"],\"Operations\":[],\"pad\":\""
                + padding
                + "\"}");
    assertThat(tooLarge.status()).as(tooLarge.toString()).isEqualTo(413);
  }

  @Test
  void filterSortAndMaxResultsAreAsAdvertised() throws Exception {
    String prefix = "truth-list-" + UUID.randomUUID().toString().substring(0, 8);
    int maxResults = config.at("/filter/maxResults").asInt();
    List<String> names = new ArrayList<>();
    for (String letter : List.of("b", "c", "a")) {
      names.add(prefix + "-" + letter + "@contoso.com");
    }
    names.forEach(DiscoveryTruthIT::createUser);

    Scim.Reply filtered = scim.filter("Users", "userName eq \"" + names.get(0) + "\"", null);
    if (supported("filter")) {
      assertThat(filtered.status()).as(filtered.toString()).isEqualTo(200);
      assertThat(filtered.json().path("totalResults").asInt()).isEqualTo(1);
      assertThat(filtered.json().at("/Resources/0/userName").asText()).isEqualTo(names.get(0));
      assertThat(maxResults).isPositive();
    } else {
      assertThat(filtered.status()).as(filtered.toString()).isIn(400, 501);
    }

    Scim.Reply sorted =
        scim.filter(
            "Users", "userName sw \"" + prefix + "\"", "sortBy=userName&sortOrder=descending");
    if (supported("sort")) {
      assertThat(sorted.status()).as(sorted.toString()).isEqualTo(200);
      List<String> order = new ArrayList<>();
      sorted.json().path("Resources").forEach(r -> order.add(r.path("userName").asText()));
      assertThat(order)
          .containsExactly(
              prefix + "-c@contoso.com", prefix + "-b@contoso.com", prefix + "-a@contoso.com");
    } else {
      assertThat(sorted.status()).as(sorted.toString()).isIn(400, 501);
    }

    if (supported("filter")) {
      // maxResults holds both ways: a page never holds more, and holds that many when asked for.
      String many = "truth-max-" + UUID.randomUUID().toString().substring(0, 8);
      createUsers(many, maxResults + 1);
      Scim.Reply page =
          scim.filter("Users", "userName sw \"" + many + "\"", "count=" + (maxResults + 1));
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      assertThat(page.json().path("totalResults").asInt()).isEqualTo(maxResults + 1);
      assertThat(page.json().path("itemsPerPage").asInt()).isEqualTo(maxResults);
      assertThat(page.json().path("Resources").size()).isEqualTo(maxResults);
    }
  }

  @Test
  void etagIsAsAdvertised() {
    Scim.Reply created = createUser("truth-etag");
    String id = created.json().get("id").asText();
    Scim.Reply read = ok(scim.get("/Users/" + id));
    if (!supported("etag")) {
      assertThat(read.header("ETag")).isNull();
      return;
    }
    String etag = read.header("ETag");
    assertThat(etag).isNotBlank().isEqualTo(read.json().at("/meta/version").asText());
    assertThat(scim.get("/Users/" + id, "If-None-Match", etag).status()).isEqualTo(304);
    Scim.Reply stale =
        scim.patch("/Users/" + id, replace("displayName", "\"x\""), "If-Match", "W/\"stale\"");
    assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
  }

  @Test
  void changePasswordIsAsAdvertised() throws Exception {
    String id = createUser("truth-password").json().get("id").asText();
    Scim.Reply changed = scim.patch("/Users/" + id, replace("password", "\"Truth-Pa55word!\""));
    // Entra and Okta send passwords whatever the flag says: accepted, never echoed (ADR 0007).
    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    assertThat(changed.json().has("password")).isFalse();
    if (!sut.ownsSystem()) {
      return;
    }
    String hash = passwordHash(id);
    if (supported("changePassword")) {
      assertThat(hash).as("a changed password is kept (as a hash)").isNotNull();
    } else {
      assertThat(hash).as("no password change takes effect").isNull();
    }
  }

  @Test
  void exactlyTheAdvertisedAuthenticationSchemesAreAccepted() {
    Set<String> advertised = new HashSet<>();
    config.path("authenticationSchemes").forEach(s -> advertised.add(s.path("type").asText()));
    assertThat(advertised).isNotEmpty();

    Scim anonymous = scim.as(null);
    assertThat(anonymous.get("/Users?count=1").status()).isEqualTo(401);
    int bearer = scim.get("/Users?count=1").status();
    assertThat(bearer == 200).isEqualTo(advertised.contains("oauthbearertoken"));
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("tenant:" + scim.token()).getBytes(StandardCharsets.UTF_8));
    int basicStatus = anonymous.get("/Users?count=1", "Authorization", basic).status();
    assertThat(basicStatus == 200).isEqualTo(advertised.contains("httpbasic"));
  }

  // ---- ResourceTypes and Schemas ------------------------------------------------------------

  @Test
  void everyResourceTypeIsServedWithTheSchemasItNames() {
    assertThat(resourceTypes).isNotEmpty();
    Set<String> schemaIds = new HashSet<>();
    schemas.forEach(s -> schemaIds.add(s.path("id").asText()));
    for (JsonNode type : resourceTypes) {
      String name = type.path("id").asText(type.path("name").asText());
      Scim.Reply one = ok(scim.get("/ResourceTypes/" + name));
      assertThat(one.json().path("endpoint")).isEqualTo(type.path("endpoint"));
      assertThat(type.at("/meta/location").asText()).endsWith("/ResourceTypes/" + name);

      Scim.Reply listed = scim.get(type.path("endpoint").asText() + "?count=1");
      assertThat(listed.status()).as(name + " " + listed).isEqualTo(200);
      assertThat(listed.json().path("schemas").toString()).contains("ListResponse");

      List<String> named = new ArrayList<>();
      named.add(type.path("schema").asText());
      type.path("schemaExtensions").forEach(e -> named.add(e.path("schema").asText()));
      for (String urn : named) {
        assertThat(schemaIds).as(name + " names " + urn).contains(urn);
        Scim.Reply schema = ok(scim.get("/Schemas/" + urn));
        assertThat(schema.json().path("id").asText()).isEqualTo(urn);
      }
    }
    assertThat(scim.get("/ResourceTypes/NoSuchType").status()).isEqualTo(404);
    assertThat(scim.get("/Schemas/urn:example:no:such:schema").status()).isEqualTo(404);
  }

  @Test
  void writeOnlyAttributesAreNeverReturned() {
    for (Attr attr : attributes("User")) {
      if (attr.mutability().equals("writeOnly")) {
        assertThat(attr.returned()).as(attr.path() + " is writeOnly").isEqualTo("never");
      }
    }
    List<Attr> never =
        attributes("User").stream().filter(a -> a.returned().equals("never")).toList();
    for (Attr attr : never) {
      assertThat(attr.sub()).as(attr.path() + ": a returned-never sub-attribute").isFalse();
      assertThat(attr.simple()).as(attr.path() + ": a returned-never complex attribute").isTrue();
      String marker = "Never-" + UUID.randomUUID();
      ObjectNode body = userBody("truth-never");
      put(body, attr, marker);
      Scim.Reply created = scim.post("/Users", body.toString());
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      String id = created.json().get("id").asText();
      String name = attr.name();
      List<Scim.Reply> answers = new ArrayList<>();
      answers.add(created);
      answers.add(ok(scim.get("/Users/" + id)));
      answers.add(ok(scim.get("/Users/" + id + "?attributes=" + encode(attr.path()))));
      answers.add(
          ok(
              scim.filter(
                  "Users",
                  "userName eq \"" + body.path("userName").asText() + "\"",
                  "attributes=" + encode(attr.path()))));
      answers.add(ok(scim.put("/Users/" + id, body.toString())));
      answers.add(ok(scim.patch("/Users/" + id, replace(name, quoted(attr, marker)))));
      for (Scim.Reply answer : answers) {
        assertThat(answer.response().body()).as(attr.path()).doesNotContain(marker);
        assertThat(answer.json().has(name)).as(attr.path() + " in " + answer).isFalse();
      }
    }
  }

  @Test
  void alwaysReturnedAttributesComeBackWhateverIsAskedFor() {
    Scim.Reply created = createUser("truth-always");
    String id = created.json().get("id").asText();
    for (Attr attr : attributes("User")) {
      if (!attr.returned().equals("always") || attr.sub() || !created.json().has(attr.name())) {
        continue;
      }
      JsonNode narrow = ok(scim.get("/Users/" + id + "?attributes=displayName")).json();
      assertThat(narrow.has(attr.name())).as(attr.path() + " with attributes=").isTrue();
      JsonNode excluded =
          ok(scim.get("/Users/" + id + "?excludedAttributes=" + encode(attr.path()))).json();
      assertThat(excluded.has(attr.name())).as(attr.path() + " with excludedAttributes=").isTrue();
    }
  }

  @Test
  void readOnlyAttributesAreIgnoredOnCreateAndRefusedByPatch() {
    String manager = createUser("truth-manager").json().get("id").asText();
    String target = createUser("truth-ro-target").json().get("id").asText();
    for (String typeName : List.of("User", "Group")) {
      String endpoint = endpoint(typeName);
      for (Attr attr : attributes(typeName)) {
        boolean readOnly = attr.mutability().equals("readOnly");
        boolean immutable = attr.mutability().equals("immutable");
        if (!readOnly && !immutable) {
          continue;
        }
        if (readOnly && (!attr.sub() || attr.parentMutability().equals("readWrite"))) {
          // RFC 7643 §7, docs/input-contract.md §5: SHALL be ignored on POST.
          String marker = "ro-" + UUID.randomUUID();
          ObjectNode body = typeName.equals("User") ? userBody("truth-ro") : groupBody();
          put(body, attr, marker, manager);
          Scim.Reply created = scim.post(endpoint, body.toString());
          assertThat(created.status()).as(attr.path() + " " + created).isEqualTo(201);
          assertThat(created.response().body()).as(attr.path()).doesNotContain(marker);
          String id = created.json().get("id").asText();
          assertThat(ok(scim.get(endpoint + "/" + id)).response().body())
              .as(attr.path())
              .doesNotContain(marker);
        }
        // A PATCH aimed at it is refused with scimType mutability. An element of a multi-valued
        // attribute is addressed by a value filter (RFC 7644 §3.5.2), on a resource that has it.
        String path = attr.path();
        String id = typeName.equals("User") ? target : null;
        if (attr.sub()
            && attr.parent().multiValued()
            && !attr.parentMutability().equals("readOnly")) {
          ObjectNode body = typeName.equals("User") ? userBody("truth-ro-element") : groupBody();
          ObjectNode element = body.putArray(attr.parent().name()).addObject();
          element.put("value", manager);
          for (JsonNode sub : attr.parent().node().path("subAttributes")) {
            if (sub.path("canonicalValues").size() > 0) {
              element.set(sub.path("name").asText(), sub.path("canonicalValues").get(0));
            }
          }
          id = ok(scim.post(endpoint, body.toString())).json().get("id").asText();
          path = attr.parent().path() + "[value eq \\\"" + manager + "\\\"]." + attr.name();
        } else if (id == null) {
          id = ok(scim.post(endpoint, groupBody().toString())).json().get("id").asText();
        }
        Scim.Reply patched =
            scim.patch(endpoint + "/" + id, replace(path, "\"patched-" + attr.name() + "\""));
        assertThat(patched.status()).as(attr.path() + " " + patched).isEqualTo(400);
        assertThat(patched.json().path("scimType").asText())
            .as(attr.path())
            .isEqualTo("mutability");
      }
    }
  }

  @Test
  void requiredAndUniqueAttributesAreEnforced() {
    for (Attr attr : attributes("User")) {
      if (attr.sub() || !attr.mutability().equals("readWrite")) {
        continue;
      }
      if (attr.required()) {
        ObjectNode body = userBody("truth-required");
        body.remove(attr.name());
        Scim.Reply refused = scim.post("/Users", body.toString());
        assertThat(refused.status()).as(attr.path() + " " + refused).isEqualTo(400);
      }
      if (attr.uniqueness().equals("server") && attr.name().equals("userName")) {
        ObjectNode body = userBody("truth-unique");
        ok(scim.post("/Users", body.toString()));
        String again = body.path("userName").asText();
        if (!attr.caseExact()) {
          again = again.toUpperCase(java.util.Locale.ROOT);
        }
        body.put("userName", again);
        Scim.Reply conflict = scim.post("/Users", body.toString());
        assertThat(conflict.status()).as(conflict.toString()).isEqualTo(409);
        assertThat(conflict.json().path("scimType").asText()).isEqualTo("uniqueness");
      }
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** One attribute of a resource type's schemas, flattened (sub-attributes as parent.sub). */
  record Attr(
      String schema,
      String name,
      String path,
      String type,
      boolean multiValued,
      boolean required,
      boolean caseExact,
      String mutability,
      String returned,
      String uniqueness,
      JsonNode canonical,
      Attr parent,
      JsonNode node) {

    boolean sub() {
      return parent != null;
    }

    boolean simple() {
      return !type.equals("complex");
    }

    String parentMutability() {
      return parent == null ? "readWrite" : parent.mutability();
    }
  }

  /** Every attribute the resource type's schemas (core and extensions) declare. */
  static List<Attr> attributes(String typeName) {
    JsonNode type =
        resourceTypes.stream()
            .filter(t -> t.path("name").asText().equals(typeName))
            .findFirst()
            .orElseThrow();
    List<String> urns = new ArrayList<>();
    urns.add(type.path("schema").asText());
    type.path("schemaExtensions").forEach(e -> urns.add(e.path("schema").asText()));
    List<Attr> all = new ArrayList<>();
    for (String urn : urns) {
      boolean core = urn.equals(type.path("schema").asText());
      JsonNode schema =
          schemas.stream().filter(s -> s.path("id").asText().equals(urn)).findFirst().orElseThrow();
      for (JsonNode a : schema.path("attributes")) {
        Attr top =
            attr(
                urn, a, null, core ? a.path("name").asText() : urn + ":" + a.path("name").asText());
        all.add(top);
        for (JsonNode s : a.path("subAttributes")) {
          all.add(attr(urn, s, top, top.path() + "." + s.path("name").asText()));
        }
      }
    }
    // id and meta are common attributes (RFC 7643 §3.1), described in the core schemas here
    return all;
  }

  private static Attr attr(String urn, JsonNode a, Attr parent, String path) {
    return new Attr(
        urn,
        a.path("name").asText(),
        path,
        a.path("type").asText(),
        a.path("multiValued").asBoolean(),
        a.path("required").asBoolean(),
        a.path("caseExact").asBoolean(),
        a.path("mutability").asText("readWrite"),
        a.path("returned").asText("default"),
        a.path("uniqueness").asText("none"),
        a.path("canonicalValues"),
        parent,
        a);
  }

  /**
   * Sets {@code attr} (or its parent with it) on {@code body} to a value carrying {@code marker}.
   */
  private static void put(ObjectNode body, Attr attr, String marker) {
    put(body, attr, marker, null);
  }

  private static void put(ObjectNode body, Attr attr, String marker, String existingUserId) {
    ObjectNode container = body;
    if (!attr.schema().equals(CORE_USER) && !attr.schema().contains(":core:2.0:Group")) {
      container = body.withObject("/" + escape(attr.schema()));
      ArrayNode schemasOf = (ArrayNode) body.withArray("schemas");
      if (!schemasOf.toString().contains(attr.schema())) {
        schemasOf.add(attr.schema());
      }
    }
    if (!attr.sub()) {
      JsonNode value =
          attr.simple() ? scalar(attr, marker) : complexValue(attr, null, marker, existingUserId);
      container.set(attr.name(), attr.multiValued() && attr.simple() ? array(value) : value);
      return;
    }
    Attr parent = attr.parent();
    JsonNode value = complexValue(parent, attr, marker, existingUserId);
    container.set(parent.name(), parent.multiValued() ? array(value) : value);
  }

  /** An object for a complex attribute: {@code marked} carries the marker, the rest plausible. */
  private static ObjectNode complexValue(Attr parent, Attr marked, String marker, String userId) {
    ObjectNode value = ContractJson.mapper().createObjectNode();
    for (JsonNode s : parent.node().path("subAttributes")) {
      String name = s.path("name").asText();
      Attr sub = attr(parent.schema(), s, parent, parent.path() + "." + name);
      if (marked == null || marked.name().equals(name)) {
        value.set(name, scalar(sub, marker));
      } else if (name.equals("value") && userId != null) {
        value.put(name, userId);
      } else if (sub.canonical().isArray() && !sub.canonical().isEmpty()) {
        value.set(name, sub.canonical().get(0));
      }
    }
    return value;
  }

  private static JsonNode scalar(Attr attr, String marker) {
    var json = ContractJson.mapper().getNodeFactory();
    return switch (attr.type()) {
      case "boolean" -> json.booleanNode(true);
      case "integer" -> json.numberNode(7);
      case "decimal" -> json.numberNode(7.5);
      case "dateTime" -> json.textNode("2001-02-03T04:05:06Z");
      case "reference" -> json.textNode("https://example.com/" + marker);
      default -> json.textNode(marker);
    };
  }

  private static ArrayNode array(JsonNode value) {
    ArrayNode array = ContractJson.mapper().createArrayNode();
    array.add(value);
    return array;
  }

  private static String quoted(Attr attr, String marker) {
    return scalar(attr, marker).toString();
  }

  private static String escape(String pointerSegment) {
    return pointerSegment.replace("~", "~0").replace("/", "~1");
  }

  private static String endpoint(String typeName) {
    return resourceTypes.stream()
        .filter(t -> t.path("name").asText().equals(typeName))
        .findFirst()
        .orElseThrow()
        .path("endpoint")
        .asText();
  }

  private static boolean supported(String feature) {
    JsonNode flag = config.at("/" + feature + "/supported");
    assertThat(flag.isBoolean()).as(feature + ".supported is a boolean").isTrue();
    return flag.booleanValue();
  }

  private static ObjectNode userBody(String prefix) {
    ObjectNode body = ContractJson.mapper().createObjectNode();
    body.putArray("schemas").add(CORE_USER);
    body.put("userName", Scim.uniqueName(prefix));
    return body;
  }

  private static ObjectNode groupBody() {
    ObjectNode body = ContractJson.mapper().createObjectNode();
    body.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Group");
    body.put("displayName", "truth-group-" + UUID.randomUUID());
    return body;
  }

  private static Scim.Reply createUser(String prefix) {
    return ok(scim.createUser(prefix.contains("@") ? prefix : Scim.uniqueName(prefix)));
  }

  private static void createUsers(String prefix, int count) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = prefix + "-" + i + "@contoso.com";
        all.add(pool.submit(() -> ok(scim.createUser(name))));
      }
      for (Future<?> f : all) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String replace(String path, String jsonValue) {
    return "{\"schemas\":[\""
        + PATCH_OP
        + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\""
        + path
        + "\",\"value\":"
        + jsonValue
        + "}]}";
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static List<JsonNode> list(JsonNode listResponse) {
    List<JsonNode> all = new ArrayList<>();
    listResponse.path("Resources").forEach(all::add);
    return all;
  }

  private static Scim.Reply ok(Scim.Reply reply) {
    assertThat(reply.status()).as(reply.toString()).isBetween(200, 201);
    return reply;
  }

  private static String passwordHash(String id) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement select =
            c.prepareStatement("select password_hash from scim.users where id = ?::uuid")) {
      select.setString(1, id);
      try (ResultSet rs = select.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }
}
