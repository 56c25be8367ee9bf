package io.provisioninghub.system;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

/**
 * Seeded hostile requests, family by family. A case is INVALID (must be refused with a SCIM 4xx and
 * change nothing) or TOLERATED (a deliberate leniency or a harmless oddity: any answer but a 5xx,
 * and a 4xx still with a SCIM body). Invalid writes name resources with {@link #marker}, so that a
 * resource one of them created can be found afterwards; they target the canaries, so that a change
 * one of them made can be seen.
 */
final class HostileCases {

  enum Expect {
    INVALID,
    TOLERATED
  }

  record Case(String family, int index, Expect expect, RawRequest request) {
    String describe() {
      String body =
          request.body() == null ? "" : new String(request.body(), StandardCharsets.UTF_8);
      if (body.length() > 300) {
        body = body.substring(0, 300) + "...(" + request.body().length + " bytes)";
      }
      String target = request.target();
      if (target.length() > 300) {
        target = target.substring(0, 300) + "...(" + request.target().length() + " chars)";
      }
      return family + "#" + index + " " + request.method() + " " + target + " " + body;
    }
  }

  static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
  static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
  static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

  final String marker;
  private final String basePath;
  private final String token;
  private final String canaryUser;
  private final String canaryGroup;
  private final String scratchUser;
  private final Random random;
  private final Map<String, Function<Integer, Case>> families = new LinkedHashMap<>();

  HostileCases(
      long seed,
      String basePath,
      String token,
      String canaryUser,
      String canaryGroup,
      String scratchUser) {
    this.random = new Random(seed);
    this.marker =
        "hx" + Long.toHexString(seed) + "-" + UUID.randomUUID().toString().substring(0, 6);
    this.basePath = basePath;
    this.token = token;
    this.canaryUser = canaryUser;
    this.canaryGroup = canaryGroup;
    this.scratchUser = scratchUser;
    families.put("json-syntax", this::jsonSyntax);
    families.put("truncation", this::truncation);
    families.put("nesting", this::nesting);
    families.put("huge-strings", this::hugeStrings);
    families.put("unicode", this::unicode);
    families.put("raw-utf8", this::rawUtf8);
    families.put("wrong-types", this::wrongTypes);
    families.put("duplicate-keys", this::duplicateKeys);
    families.put("trailing-data", this::trailingData);
    families.put("patch-paths", this::patchPaths);
    families.put("patch-values", this::patchValues);
    families.put("filter-syntax", this::filterSyntax);
    families.put("filter-semantics", this::filterSemantics);
    families.put("filter-size", this::filterSize);
    families.put("filter-encoding", this::filterEncoding);
    families.put("filter-injection", this::filterInjection);
    families.put("query-parameters", this::queryParameters);
    families.put("ids", this::ids);
    families.put("methods", this::methods);
    families.put("content-types", this::contentTypes);
    families.put("authentication", this::authentication);
    families.put("leniencies", this::leniencies);
  }

  /** {@code count} cases, the families taken in turn. */
  List<Case> generate(int count) {
    List<Function<Integer, Case>> all = new ArrayList<>(families.values());
    List<Case> cases = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      cases.add(all.get(i % all.size()).apply(i));
    }
    return cases;
  }

  // ------------------------------------------------------------------ helpers

  private String name() {
    return marker + "-" + Integer.toHexString(random.nextInt()) + "@contoso.com";
  }

  private <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  private static String q(String s) {
    return "\"" + s + "\"";
  }

  private String validUser() {
    return "{\"schemas\":[" + q(USER) + "],\"userName\":" + q(name()) + ",\"active\":true}";
  }

  private String validGroup() {
    return "{\"schemas\":[" + q(GROUP) + "],\"displayName\":" + q(name()) + "}";
  }

  private static String patchBody(String operations) {
    return "{\"schemas\":[" + q(PATCH_OP) + "],\"Operations\":[" + operations + "]}";
  }

  private Map<String, String> auth(String contentType) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer " + token);
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    return headers;
  }

  private RawRequest write(String method, String path, byte[] body) {
    return new RawRequest(method, basePath + path, auth("application/scim+json"), body);
  }

  private RawRequest write(String method, String path, String body) {
    return write(method, path, body.getBytes(StandardCharsets.UTF_8));
  }

  private RawRequest get(String pathAndQuery) {
    return new RawRequest("GET", basePath + pathAndQuery, auth(null), null);
  }

  /** A write aimed at a canary or at the collection (a create), chosen at random. */
  private RawRequest anyWrite(byte[] body, boolean group) {
    return switch (random.nextInt(3)) {
      case 0 -> write("POST", group ? "/Groups" : "/Users", body);
      case 1 -> write("PUT", group ? "/Groups/" + canaryGroup : "/Users/" + canaryUser, body);
      default -> write("PATCH", group ? "/Groups/" + canaryGroup : "/Users/" + canaryUser, body);
    };
  }

  private Case invalid(String family, int i, RawRequest request) {
    return new Case(family, i, Expect.INVALID, request);
  }

  private Case tolerated(String family, int i, RawRequest request) {
    return new Case(family, i, Expect.TOLERATED, request);
  }

  private static String filterQuery(String filter) {
    return "?filter=" + java.net.URLEncoder.encode(filter, StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ families

  private Case jsonSyntax(int i) {
    String user = validUser();
    String body =
        pick(
            List.of(
                "",
                "[]",
                "42",
                "null",
                "\"userName\"",
                "{",
                "}",
                "{'schemas':['" + USER + "'],'userName':'" + name() + "'}",
                "{\"schemas\":[" + q(USER) + "],\"userName\":" + q(name()) + ",}",
                "{\"schemas\":[" + q(USER) + "],userName:" + q(name()) + "}",
                "{/*c*/\"schemas\":[" + q(USER) + "],\"userName\":" + q(name()) + "}",
                "{\"schemas\":[" + q(USER) + "],\"userName\":" + q(name()) + ",\"x\":NaN}",
                "{\"schemas\":[" + q(USER) + "],\"userName\":" + q(name()) + ",\"x\":Infinity}",
                "{\"schemas\":[" + q(USER) + "],\"userName\":" + q(name()) + ",\"x\":01}",
                "{\"schemas\":[" + q(USER) + "],\"userName\":" + q(name()) + ",\"x\":0x10}",
                "{\"schemas\":[" + q(USER) + "] \"userName\":" + q(name()) + "}",
                user.replace("\"userName\"", "\"userName\\q\""),
                "\u0000" + user,
                "{\"schemas\":[" + q(USER) + "],\"userName\":\"" + marker + "\u0001x\"}"));
    return invalid("json-syntax", i, anyWrite(body.getBytes(StandardCharsets.UTF_8), false));
  }

  private Case truncation(int i) {
    boolean group = random.nextBoolean();
    String body =
        group
            ? "{\"schemas\":[" + q(GROUP) + "],\"displayName\":" + q(name()) + ",\"members\":[]}"
            : "{\"schemas\":["
                + q(USER)
                + "],\"userName\":"
                + q(name())
                + ",\"name\":{\"givenName\":\"A\",\"familyName\":\"B\"},"
                + "\"emails\":[{\"value\":\"a@b.c\",\"type\":\"work\",\"primary\":true}]}";
    int cut = 1 + random.nextInt(body.length() - 1);
    return invalid("truncation", i, anyWrite(body.substring(0, cut).getBytes(), group));
  }

  private Case nesting(int i) {
    int depth = 33 + random.nextInt(1500);
    boolean arrays = random.nextBoolean();
    StringBuilder value = new StringBuilder();
    for (int d = 0; d < depth; d++) {
      value.append(arrays ? "[" : "{\"a\":");
    }
    value.append("1");
    for (int d = 0; d < depth; d++) {
      value.append(arrays ? "]" : "}");
    }
    String attribute = pick(List.of("displayName", "name", "urn:example:custom:1.0:User", "x"));
    if (random.nextBoolean()) {
      String op =
          "{\"op\":\"add\",\"path\":"
              + q(pick(List.of("displayName", "title")))
              + ",\"value\":"
              + value
              + "}";
      return invalid("nesting", i, write("PATCH", "/Users/" + canaryUser, patchBody(op)));
    }
    String body =
        "{\"schemas\":["
            + q(USER)
            + "],\"userName\":"
            + q(name())
            + ","
            + q(attribute)
            + ":"
            + value
            + "}";
    return invalid("nesting", i, anyWrite(body.getBytes(StandardCharsets.UTF_8), false));
  }

  private Case hugeStrings(int i) {
    if (random.nextInt(4) == 0) {
      // Over the body limit: 413.
      String big = "a".repeat(1_100_000);
      return invalid(
          "huge-strings",
          i,
          write("POST", "/Users", "{\"schemas\":[" + q(USER) + "],\"userName\":" + q(big) + "}"));
    }
    String long1 = name() + "x".repeat(600 + random.nextInt(20_000));
    String attribute = pick(List.of("userName", "externalId", "displayName"));
    String body =
        attribute.equals("userName")
            ? "{\"schemas\":[" + q(USER) + "],\"userName\":" + q(long1) + "}"
            : "{\"schemas\":["
                + q(USER)
                + "],\"userName\":"
                + q(name())
                + ","
                + q(attribute)
                + ":"
                + q(long1)
                + "}";
    return invalid("huge-strings", i, anyWrite(body.getBytes(StandardCharsets.UTF_8), false));
  }

  private Case unicode(int i) {
    String bad =
        pick(
            List.of(
                "\\u0000",
                "\\ud83d",
                "\\ude00",
                "\\ud83d\\u0041",
                "\\u0001",
                "\\u0007",
                "\\u001b",
                "\\u007f",
                "a\\u0000b"));
    String where = pick(List.of("userName", "displayName", "givenName", "email", "patch", "group"));
    String value = name() + bad;
    return switch (where) {
      case "userName" ->
          invalid(
              "unicode",
              i,
              anyWrite(
                  ("{\"schemas\":[" + q(USER) + "],\"userName\":" + q(value) + "}").getBytes(),
                  false));
      case "displayName" ->
          invalid(
              "unicode",
              i,
              anyWrite(
                  ("{\"schemas\":["
                          + q(USER)
                          + "],\"userName\":"
                          + q(name())
                          + ",\"displayName\":"
                          + q(value)
                          + "}")
                      .getBytes(),
                  false));
      case "givenName" ->
          invalid(
              "unicode",
              i,
              anyWrite(
                  ("{\"schemas\":["
                          + q(USER)
                          + "],\"userName\":"
                          + q(name())
                          + ",\"name\":{\"givenName\":"
                          + q(value)
                          + "}}")
                      .getBytes(),
                  false));
      case "email" ->
          invalid(
              "unicode",
              i,
              anyWrite(
                  ("{\"schemas\":["
                          + q(USER)
                          + "],\"userName\":"
                          + q(name())
                          + ",\"emails\":[{\"value\":"
                          + q(value)
                          + ",\"type\":\"work\"}]}")
                      .getBytes(),
                  false));
      case "group" ->
          invalid(
              "unicode",
              i,
              anyWrite(
                  ("{\"schemas\":[" + q(GROUP) + "],\"displayName\":" + q(value) + "}").getBytes(),
                  true));
      default ->
          invalid(
              "unicode",
              i,
              write(
                  "PATCH",
                  "/Users/" + canaryUser,
                  patchBody(
                      "{\"op\":\"replace\",\"path\":"
                          + q(pick(List.of("displayName", "title", "userName", "nickName")))
                          + ",\"value\":"
                          + q(value)
                          + "}")));
    };
  }

  private Case rawUtf8(int i) {
    byte[][] bad = {
      {(byte) 0xff},
      {(byte) 0xc0, (byte) 0x80},
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      {(byte) 0xe2, (byte) 0x82},
      {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
      {(byte) 0x80}
    };
    byte[] insert = bad[random.nextInt(bad.length)];
    byte[] head = ("{\"schemas\":[" + q(USER) + "],\"userName\":\"" + name()).getBytes();
    byte[] tail = "\"}".getBytes();
    byte[] body = new byte[head.length + insert.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(insert, 0, body, head.length, insert.length);
    System.arraycopy(tail, 0, body, head.length + insert.length, tail.length);
    return invalid("raw-utf8", i, anyWrite(body, false));
  }

  private Case wrongTypes(int i) {
    String attribute =
        pick(
            List.of(
                "\"displayName\":42",
                "\"emails\":\"x\"",
                "\"name\":\"Fuzz\"",
                "\"active\":\"maybe\"",
                "\"active\":1",
                "\"phoneNumbers\":[{\"value\":5550100,\"type\":\"work\"}]",
                "\"emails\":[{\"value\":true}]",
                "\"emails\":[\"a@b.c\"]",
                "\"name\":[\"a\"]",
                "\"title\":{\"a\":1}",
                "\"" + ENTERPRISE + "\":{\"manager\":42}",
                "\"" + ENTERPRISE + "\":{\"employeeNumber\":7}",
                "\"" + ENTERPRISE + "\":\"x\"",
                "\"schemas\":\"" + USER + "\"",
                "\"addresses\":[{\"postalCode\":12345}]",
                "\"emails\":[{\"value\":\"a@b.c\",\"primary\":\"yes\"}]"));
    String body;
    if (attribute.startsWith("\"schemas\"")) {
      body = "{" + attribute + ",\"userName\":" + q(name()) + "}";
    } else {
      body = "{\"schemas\":[" + q(USER) + "],\"userName\":" + q(name()) + "," + attribute + "}";
    }
    if (random.nextInt(4) == 0) {
      body =
          "{\"schemas\":["
              + q(GROUP)
              + "],\"displayName\":"
              + q(name())
              + ","
              + pick(
                  List.of("\"members\":\"x\"", "\"members\":[{\"value\":5}]", "\"displayName\":7"))
              + "}";
      if (body.contains("\"displayName\":7")) {
        body = "{\"schemas\":[" + q(GROUP) + "],\"displayName\":7}";
      }
      return invalid("wrong-types", i, anyWrite(body.getBytes(), true));
    }
    return invalid("wrong-types", i, anyWrite(body.getBytes(), false));
  }

  private Case duplicateKeys(int i) {
    String body =
        pick(
            List.of(
                "{\"schemas\":["
                    + q(USER)
                    + "],\"userName\":"
                    + q(name())
                    + ",\"userName\":"
                    + q(name())
                    + "}",
                "{\"schemas\":["
                    + q(USER)
                    + "],\"schemas\":["
                    + q(USER)
                    + "],\"userName\":"
                    + q(name())
                    + "}",
                "{\"schemas\":["
                    + q(USER)
                    + "],\"userName\":"
                    + q(name())
                    + ",\"name\":{\"givenName\":\"a\",\"givenName\":\"b\"}}"));
    if (random.nextInt(3) == 0) {
      String op = "{\"op\":\"replace\",\"path\":\"title\",\"value\":" + q(name()) + "}";
      String patch =
          "{\"schemas\":["
              + q(PATCH_OP)
              + "],\"Operations\":["
              + op
              + "],\"Operations\":["
              + op
              + "]}";
      return invalid("duplicate-keys", i, write("PATCH", "/Users/" + canaryUser, patch));
    }
    return invalid("duplicate-keys", i, anyWrite(body.getBytes(), false));
  }

  private Case trailingData(int i) {
    String valid = random.nextBoolean() ? validUser() : null;
    String trailer = pick(List.of(" x", " /* c */", "{}", " ]", " 1", "\"", " null", ",{}"));
    if (valid == null) {
      String patch =
          patchBody("{\"op\":\"replace\",\"path\":\"title\",\"value\":" + q(name()) + "}");
      return invalid("trailing-data", i, write("PATCH", "/Users/" + canaryUser, patch + trailer));
    }
    return invalid("trailing-data", i, anyWrite((valid + trailer).getBytes(), false));
  }

  private Case patchPaths(int i) {
    String path =
        pick(
            List.of(
                "emails[type eq \"work\"]value",
                "emails[type eq \"work\"",
                "emails]",
                "emails[]",
                "emails[type eq]",
                "emails[nosuch eq \"x\"].value",
                "name..givenName",
                "noSuchAttribute",
                "name.noSuch",
                "emails.value.x",
                "id",
                "meta.created",
                "meta",
                "groups",
                "userName[value eq \"x\"]",
                "[type eq \"work\"]",
                ".value",
                "emails[type eq \"work\"].value[type eq \"x\"]",
                GROUP + ":displayName",
                "urn:ietf:params:scim:schemas:core:2.0:User:noSuch"));
    String op = pick(List.of("add", "replace", "remove"));
    return invalid(
        "patch-paths",
        i,
        write(
            "PATCH",
            "/Users/" + canaryUser,
            patchBody("{\"op\":" + q(op) + ",\"path\":" + q(path) + ",\"value\":\"x\"}")));
  }

  private Case patchValues(int i) {
    String op =
        pick(
            List.of(
                "{\"op\":\"replace\",\"path\":\"active\",\"value\":\"maybe\"}",
                "{\"op\":\"replace\",\"path\":\"displayName\",\"value\":42}",
                "{\"op\":\"replace\",\"path\":\"emails\",\"value\":\"x\"}",
                "{\"op\":\"replace\",\"path\":\"name\",\"value\":\"Fuzz\"}",
                "{\"op\":\"add\",\"path\":\"phoneNumbers[type eq \\\"work\\\"].value\",\"value\":5550100}",
                "{\"op\":\"replace\",\"path\":\"" + ENTERPRISE + ":manager\",\"value\":42}",
                "{\"op\":\"replace\",\"value\":{\"displayName\":42}}",
                "{\"op\":\"replace\",\"value\":\"x\"}",
                "{\"op\":\"frobnicate\",\"path\":\"title\",\"value\":\"x\"}",
                "{\"path\":\"title\",\"value\":\"x\"}",
                "{\"op\":\"add\",\"path\":\"title\"}",
                "{\"op\":42,\"path\":\"title\",\"value\":\"x\"}",
                "\"replace\"",
                "{\"op\":\"replace\",\"path\":\"userName\",\"value\":\"\"}"));
    if (random.nextInt(4) == 0) {
      String body =
          pick(
              List.of(
                  "{\"schemas\":[" + q(PATCH_OP) + "],\"Operations\":{}}",
                  "{\"schemas\":[" + q(PATCH_OP) + "],\"Operations\":\"x\"}",
                  "{\"schemas\":[" + q(PATCH_OP) + "]}",
                  patchBody("{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":42}]}"),
                  patchBody("{\"op\":\"replace\",\"path\":\"displayName\",\"value\":42}")));
      return invalid("patch-values", i, write("PATCH", "/Groups/" + canaryGroup, body));
    }
    return invalid("patch-values", i, write("PATCH", "/Users/" + canaryUser, patchBody(op)));
  }

  private Case filterSyntax(int i) {
    String filter =
        pick(
            List.of(
                "userName eq",
                "userName eq \"x",
                "(userName eq \"x\"",
                "userName eq \"x\")",
                "userName xx \"x\"",
                "userName eq \"x\" and",
                "and userName eq \"x\"",
                "userName eq x y",
                "emails[type eq \"work\"",
                "emails[type eq \"work\"]]",
                "userName eq 'x'",
                "\"x\" eq userName",
                "userName eq \"x\" or or userName eq \"y\"",
                "userName pr \"x\"",
                "userName gt",
                "emails[]"));
    String collection = random.nextBoolean() ? "/Users" : "/Groups";
    return invalid("filter-syntax", i, get(collection + filterQuery(filter)));
  }

  private Case filterSemantics(int i) {
    String filter =
        pick(
            List.of(
                "noSuchAttribute eq \"x\"",
                "name.noSuch eq \"x\"",
                "emails[noSuch eq \"x\"]",
                "meta.noSuch eq \"x\"",
                "emails.value.x eq \"a\"",
                "members[value eq \"x\"].noSuch eq \"y\""));
    return invalid("filter-semantics", i, get("/Users" + filterQuery(filter)));
  }

  private Case filterSize(int i) {
    int kind = random.nextInt(3);
    StringBuilder filter = new StringBuilder();
    if (kind == 0) {
      int n = 51 + random.nextInt(200);
      for (int k = 0; k < n; k++) {
        filter.append(k == 0 ? "" : " or ").append("userName eq \"u").append(k).append('"');
      }
    } else if (kind == 1) {
      int n = 6 + random.nextInt(20);
      for (int k = 0; k < n; k++) {
        filter.append(k == 0 ? "" : " or ").append("displayName co \"a").append(k).append('"');
      }
    } else {
      int depth = 9 + random.nextInt(60);
      for (int k = 0; k < depth; k++) {
        filter.append(k % 2 == 0 ? "(userName eq \"a\" and " : "(userName eq \"b\" or ");
      }
      filter.append("userName eq \"c\"");
      filter.append(")".repeat(depth));
    }
    if (random.nextInt(5) == 0) {
      // Over the request-target limit: 414.
      filter.append(" or userName eq \"").append("z".repeat(9000)).append('"');
    }
    return invalid("filter-size", i, get("/Users" + filterQuery(filter.toString())));
  }

  private Case filterEncoding(int i) {
    String query =
        pick(
            List.of(
                "?filter=userName%20eq%20%22a%00b%22",
                "?filter=userName%20eq%20%22%5Cu0000%22",
                "?filter=userName%20eq%20%22%5Cud83d%22",
                "?filter=userName%20eq%20%22%ZZ%22",
                "?filter=userName%20eq%20%22%c3%28%22",
                "?filter=userName%20eq%20%22%ed%a0%80%22",
                "?filter=userName%20eq%20%22%",
                "?filter=%",
                "?filter=userName%20eq%20%22%ff%22",
                "?filter=userName%20eq%20%22%01%22"));
    return invalid("filter-encoding", i, get("/Users" + query));
  }

  private Case filterInjection(int i) {
    // Well-formed filters whose literals look like SQL or JSON path: harmless strings, answered
    // with an empty list (tolerated: any non-5xx answer).
    String literal =
        pick(
            List.of(
                "x' OR '1'='1",
                "x\\\"; DROP TABLE scim.users; --",
                "%' OR 1=1 --",
                "$.userName",
                "{\\\"a\\\":1}",
                "\\\\",
                "_%",
                "' || pg_sleep(10) || '",
                "x') OR true --"));
    String attribute =
        pick(List.of("userName", "externalId", "displayName", "emails.value", "title"));
    String op = pick(List.of("eq", "co", "sw", "ew", "ne", "gt"));
    return tolerated(
        "filter-injection",
        i,
        get("/Users" + filterQuery(attribute + " " + op + " \"" + literal + "\"")));
  }

  private Case queryParameters(int i) {
    String query =
        pick(
            List.of(
                "?startIndex=-1",
                "?count=-5",
                "?count=abc",
                "?startIndex=abc",
                "?count=99999999999999999999",
                "?startIndex=0",
                "?sortBy=noSuchAttribute",
                "?sortBy=userName&sortOrder=sideways",
                "?attributes=%00",
                "?attributes=,,,",
                "?excludedAttributes=[]",
                "?cursor=not-a-cursor",
                "?cursor=&count=1",
                "?filter=&count=1",
                "?count=1&count=2",
                "?attributes=" + "a".repeat(5000)));
    return tolerated("query-parameters", i, get(pick(List.of("/Users", "/Groups")) + query));
  }

  private Case ids(int i) {
    String id =
        pick(
            List.of(
                "not-a-uuid",
                "x".repeat(4000),
                "..%2F..%2FGroups",
                "%2e%2e",
                UUID.randomUUID().toString(),
                UUID.randomUUID() + "%00",
                "%27%20OR%201=1",
                "12345678-1234-1234-1234-1234567890123"));
    String method = pick(List.of("GET", "PUT", "PATCH", "DELETE"));
    String collection = pick(List.of("/Users/", "/Groups/"));
    byte[] body =
        method.equals("PUT")
            ? validUser().getBytes()
            : method.equals("PATCH")
                ? patchBody("{\"op\":\"replace\",\"path\":\"title\",\"value\":\"x\"}").getBytes()
                : null;
    Map<String, String> headers = auth(body == null ? null : "application/scim+json");
    return invalid("ids", i, new RawRequest(method, basePath + collection + id, headers, body));
  }

  private Case methods(int i) {
    String[] choice =
        pick(
            List.of(
                new String[] {"TRACE", "/Users"},
                new String[] {"PUT", "/Users"},
                new String[] {"DELETE", "/Users"},
                new String[] {"PATCH", "/Groups"},
                new String[] {"POST", "/Users/" + canaryUser},
                new String[] {"DELETE", "/ServiceProviderConfig"},
                new String[] {"POST", "/Schemas"},
                new String[] {"PUT", "/ResourceTypes"},
                new String[] {"FOO", "/Users"}));
    byte[] body =
        choice[0].equals("TRACE") || choice[0].equals("DELETE") ? null : validUser().getBytes();
    Map<String, String> headers = auth(body == null ? null : "application/scim+json");
    return invalid("methods", i, new RawRequest(choice[0], basePath + choice[1], headers, body));
  }

  private Case contentTypes(int i) {
    if (random.nextInt(4) == 0) {
      Map<String, String> headers = auth(null);
      headers.put("Accept", pick(List.of("application/xml", "text/html", "image/png")));
      return invalid("content-types", i, new RawRequest("GET", basePath + "/Users", headers, null));
    }
    String type =
        pick(
            List.of(
                "text/plain",
                "application/xml",
                "multipart/form-data; boundary=x",
                "application/x-www-form-urlencoded",
                "image/png"));
    // The body itself is also invalid, so no reading of it could make it a valid write.
    String body =
        "{\"schemas\":[" + q(USER) + "],\"userName\":" + q(name()) + ",\"displayName\":42}";
    Map<String, String> headers = auth(type);
    return invalid(
        "content-types", i, new RawRequest("POST", basePath + "/Users", headers, body.getBytes()));
  }

  private Case authentication(int i) {
    Map<String, String> headers = new LinkedHashMap<>();
    String value =
        pick(
            java.util.Arrays.asList(
                null,
                "Basic dXNlcjpwYXNz",
                "Bearer",
                "Bearer ",
                "Bearer phub_" + UUID.randomUUID(),
                "Bearer " + token + "x",
                "bearer " + token.substring(0, token.length() - 1),
                "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
                "Bearer eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln",
                "Bearer " + "a".repeat(8000),
                "Token " + token));
    if (value != null) {
      headers.put("Authorization", value);
    }
    headers.put("Content-Type", "application/scim+json");
    boolean read = random.nextInt(3) == 0;
    return invalid(
        "authentication",
        i,
        read
            ? new RawRequest("GET", basePath + "/Users/" + canaryUser, headers, null)
            : new RawRequest("POST", basePath + "/Users", headers, validUser().getBytes()));
  }

  /** What Entra and Okta send and the gateway accepts on purpose (docs/input-contract.md). */
  private Case leniencies(int i) {
    String okName = "hxok-" + UUID.randomUUID() + "@contoso.com";
    return switch (random.nextInt(5)) {
      case 0 ->
          tolerated(
              "leniencies",
              i,
              write(
                  "POST",
                  "/Users",
                  "{\"schemas\":["
                      + q(USER)
                      + "],\"userName\":"
                      + q(okName)
                      + ",\"active\":\"True\"}"));
      case 1 ->
          tolerated(
              "leniencies",
              i,
              write(
                  "PATCH",
                  "/Users/" + scratchUser,
                  patchBody(
                      "{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"},"
                          + "{\"op\":\"Add\",\"value\":{\"displayName\":\"Scratch\","
                          + "\"name.givenName\":\"S\"}}")));
      case 2 ->
          tolerated(
              "leniencies",
              i,
              write(
                  "POST",
                  "/Users",
                  "{\"schemas\":["
                      + q(USER)
                      + "],\"userName\":\"hxok_"
                      + UUID.randomUUID().toString().substring(0, 8)
                      + "#EXT#@contoso.onmicrosoft.com\"}"));
      case 3 ->
          tolerated(
              "leniencies",
              i,
              write(
                  "POST",
                  "/Groups",
                  "{\"schemas\":["
                      + q(GROUP)
                      + ","
                      + q(
                          "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group")
                      + "],\"displayName\":"
                      + q(okName)
                      + "}"));
      default ->
          tolerated(
              "leniencies",
              i,
              write(
                  "PATCH",
                  "/Users/" + scratchUser,
                  patchBody(
                      "{\"op\":\"replace\",\"path\":\""
                          + ENTERPRISE
                          + ":manager\",\"value\":\""
                          + canaryUser
                          + "\"}")));
    };
  }
}
