package io.provisioninghub.scim.patch;

import static io.provisioninghub.scim.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.scim.Fixtures;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.schema.ResourceKind;
import io.provisioninghub.scim.schema.ResourceValidator;
import io.provisioninghub.scim.schema.ScimSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The input contract of docs/input-contract.md, one row per rule: what POST/PUT bodies and PATCH
 * requests are refused with which scimType, and which client deviations stay accepted.
 */
class InputContractTest {

  private static final String ID = "5b7f3a61-2c8e-4d90-b1a4-6e3f8c2d7a15";
  private static final String USER = "\"schemas\":[\"" + ScimSchemas.CORE_USER + "\"]";
  private static final String ENT = ScimSchemas.ENTERPRISE_USER;
  private static final String CUSTOM = "urn:ietf:params:scim:schemas:extension:Custom:2.0:User";

  /** Bodies as JSON text (so \\u0000 and \\ud83d are decoded by Jackson, as on the wire). */
  private static JsonNode parse(String text) {
    try {
      return Fixtures.JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String user(String attributes) {
    return "{" + USER + ",\"userName\":\"a@contoso.com\"" + attributes + "}";
  }

  static Stream<Arguments> refusedResources() {
    return Stream.of(
        arguments("displayName number", user(",\"displayName\":42"), "displayName"),
        arguments("emails string", user(",\"emails\":\"x\""), "emails"),
        arguments("emails of strings", user(",\"emails\":[\"a@x\"]"), "emails"),
        arguments("name string", user(",\"name\":\"Fuzz\""), "name"),
        arguments("active maybe", user(",\"active\":\"maybe\""), "active"),
        arguments("active number", user(",\"active\":1"), "active"),
        arguments(
            "phone number as number",
            user(",\"phoneNumbers\":[{\"type\":\"work\",\"value\":5550100}]"),
            "phoneNumbers.value"),
        arguments(
            "manager number",
            "{\"schemas\":[\""
                + ScimSchemas.CORE_USER
                + "\",\""
                + ENT
                + "\"],\"userName\":\"a\",\""
                + ENT
                + "\":{\"manager\":42}}",
            "manager"),
        arguments("nickName boolean", user(",\"nickName\":true"), "nickName"),
        arguments("userName number", "{" + USER + ",\"userName\":7}", "userName"),
        arguments("NUL in userName", "{" + USER + ",\"userName\":\"a\\u0000b\"}", "userName"),
        arguments(
            "lone high surrogate in userName",
            "{" + USER + ",\"userName\":\"a\\ud83d\"}",
            "userName"),
        arguments(
            "lone low surrogate in displayName",
            user(",\"displayName\":\"\\ude00x\""),
            "displayName"),
        arguments(
            "reversed pair in displayName",
            user(",\"displayName\":\"\\ude00\\ud83d\""),
            "displayName"),
        arguments(
            "NUL in name.givenName", user(",\"name\":{\"givenName\":\"\\u0000\"}"), "givenName"),
        arguments("TAB in userName", "{" + USER + ",\"userName\":\"a\\tb\"}", "userName"),
        arguments("LF in externalId", user(",\"externalId\":\"x\\ny\""), "externalId"),
        arguments("BEL in displayName", user(",\"displayName\":\"x\\u0007\""), "displayName"),
        arguments("C1 control in title", user(",\"title\":\"x\\u0085\""), "title"),
        arguments(
            "CR in emails.value",
            user(",\"emails\":[{\"value\":\"a@x\\r\",\"type\":\"work\"}]"),
            "emails"),
        arguments(
            "NUL in a dropped attribute", user(",\"unknownThing\":\"\\u0000\""), "unknownThing"),
        arguments(
            "NUL in a custom extension",
            "{\"schemas\":[\""
                + ScimSchemas.CORE_USER
                + "\",\""
                + CUSTOM
                + "\"],\"userName\":\"a\",\""
                + CUSTOM
                + "\":{\"badge\":\"\\u0000\"}}",
            "badge"),
        arguments("NUL in an attribute name", user(",\"x\\u0000\":\"y\""), "attribute name"),
        arguments(
            "non-canonical email type",
            user(",\"emails\":[{\"value\":\"a@x\",\"type\":\"personal\"}]"),
            "emails[0].type"),
        arguments(
            "userName too long for its index",
            "{" + USER + ",\"userName\":\"" + "u".repeat(513) + "\"}",
            "userName"),
        arguments("profileUrl not a URI", user(",\"profileUrl\":\"a b\""), "profileUrl"),
        arguments(
            "x509 certificate not base64",
            user(",\"x509Certificates\":[{\"value\":\"***\"}]"),
            "x509Certificates"),
        arguments(
            "a Group schema on a user",
            "{\"schemas\":[\""
                + ScimSchemas.CORE_USER
                + "\",\""
                + ScimSchemas.CORE_GROUP
                + "\"],\"userName\":\"a\",\""
                + ScimSchemas.CORE_GROUP
                + "\":{\"displayName\":\"g\"}}",
            "Group"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedResources")
  void refusedOnPostAndPutWithInvalidValue(String name, String body, String named) {
    for (boolean create : new boolean[] {true, false}) {
      JsonNode parsed = parse(body);
      assertThatThrownBy(
              () ->
                  (create
                          ? ResourceNormalizer.forCreate(ResourceKind.USER, parsed)
                          : ResourceNormalizer.forReplace(ResourceKind.USER, parsed))
                      .document())
          .as(name)
          .isInstanceOfSatisfying(
              BadRequestException.class,
              e -> {
                assertThat(e.scimType()).isEqualTo(ScimType.invalidValue);
                assertThat(e.detail()).contains(named);
              });
    }
  }

  @Test
  void jacksonDecodesALoneSurrogateEscapeToALoneSurrogate() {
    String decoded = parse("{\"a\":\"\\ud83d\"}").get("a").textValue();
    assertThat(decoded).hasSize(1);
    assertThat(Character.isHighSurrogate(decoded.charAt(0))).isTrue();
    // A real pair stays accepted.
    ObjectNode d =
        ResourceNormalizer.forCreate(
                ResourceKind.USER, parse(user(",\"displayName\":\"Lena \\ud83d\\ude00\"")))
            .document();
    assertThat(d.get("displayName").textValue()).isEqualTo("Lena \uD83D\uDE00");
  }

  @Test
  void caseVariantDuplicateNamesAreInvalidSyntax() {
    assertRefused(
        () ->
            ResourceNormalizer.forCreate(
                ResourceKind.USER, parse("{" + USER + ",\"userName\":\"a\",\"USERNAME\":\"b\"}")),
        ScimType.invalidSyntax,
        "USERNAME");
    assertRefused(
        () ->
            PatchParser.parse(
                parse(
                    "{\"schemas\":[\""
                        + ScimSchemas.PATCH_OP
                        + "\"],\"Operations\":[{\"op\":\"add\",\"path\":\"title\",\"value\":\"x\"}],"
                        + "\"operations\":[{\"op\":\"remove\",\"path\":\"title\"}]}")),
        ScimType.invalidSyntax,
        "operations");
  }

  @Test
  void freeTextAllowsTabCrLfAndCustomExtensionsAreKeptAsSent() {
    ObjectNode d =
        ResourceNormalizer.forCreate(
                ResourceKind.USER,
                parse(
                    "{\"schemas\":[\""
                        + ScimSchemas.CORE_USER
                        + "\",\""
                        + CUSTOM
                        + "\"],\"userName\":\"a\",\"displayName\":\"Lena\\tMarsh\","
                        + "\"addresses\":[{\"type\":\"work\",\"streetAddress\":\"1 Main St\\r\\nSuite 2\"}],"
                        + "\""
                        + CUSTOM
                        + "\":{\"badge\":42,\"nested\":{\"deep\":[true,\"x\"]}}}"))
            .document();
    assertThat(d.get("displayName").textValue()).isEqualTo("Lena\tMarsh");
    assertThat(d.at("/addresses/0/streetAddress").textValue()).contains("\r\n");
    assertThat(d.get(CUSTOM)).isEqualTo(parse("{\"badge\":42,\"nested\":{\"deep\":[true,\"x\"]}}"));
  }

  @Test
  void deliberateLeniencesStayAccepted() {
    ObjectNode d =
        ResourceNormalizer.forCreate(
                ResourceKind.USER,
                parse(
                    "{\"schemas\":[\""
                        + ScimSchemas.CORE_USER
                        + "\",\""
                        + ENT
                        + "\"],\"userName\":\"lena_contoso.com#EXT#@fabrikam.onmicrosoft.com\","
                        + "\"active\":\"False\",\"displayName\":[\"Lena\"],"
                        + "\"emails\":[{\"value\":\"a@x\",\"type\":\"Work\",\"primary\":\"True\"}],"
                        + "\""
                        + ENT
                        + "\":{\"manager\":\"26118915-6090-4610-87e4-49d8ca9f808d\"}}"))
            .document();
    assertThat(d.get("userName").textValue()).contains("#EXT#");
    assertThat(d.get("active").booleanValue()).isFalse();
    assertThat(d.get("displayName").textValue()).isEqualTo("Lena");
    assertThat(d.at("/emails/0/primary").booleanValue()).isTrue();
    assertThat(d.at("/" + ENT.replace("/", "~1") + "/manager/value").textValue())
        .isEqualTo("26118915-6090-4610-87e4-49d8ca9f808d");
    ObjectNode group =
        ResourceNormalizer.forCreate(ResourceKind.GROUP, load("entra/create-group.json"))
            .document();
    assertThat(group.get("schemas").toString()).contains(ScimSchemas.ENTRA_GROUP_SCHEMA);
  }

  @Test
  void readOnlyAttributesAreIgnoredOnPostAndPut() {
    ObjectNode d =
        ResourceNormalizer.forReplace(
                ResourceKind.USER,
                parse(
                    "{\"schemas\":[\""
                        + ScimSchemas.CORE_USER
                        + "\",\""
                        + ENT
                        + "\"],\"id\":\"client\",\"userName\":\"a\",\"meta\":{\"version\":\"W/1\"},"
                        + "\"groups\":[{\"value\":\"g\"}],\""
                        + ENT
                        + "\":{\"manager\":{\"value\":\"m\",\"displayName\":\"Boss\"}}}"))
            .document();
    assertThat(d.has("id")).isFalse();
    assertThat(d.has("meta")).isFalse();
    assertThat(d.has("groups")).isFalse();
    assertThat(d.get(ENT).get("manager")).isEqualTo(parse("{\"value\":\"m\"}"));
  }

  // ---- PATCH ----

  private static JsonNode patchBody(String operations) {
    return parse(
        "{\"schemas\":[\"" + ScimSchemas.PATCH_OP + "\"],\"Operations\":" + operations + "}");
  }

  private static void checkPatch(ResourceKind kind, String operations) {
    PatchApplier.check(kind, ID, PatchParser.parse(patchBody(operations)));
  }

  static Stream<Arguments> refusedPatches() {
    return Stream.of(
        arguments(
            "unknown attribute",
            "[{\"op\":\"add\",\"path\":\"nickname2\",\"value\":\"x\"}]",
            ScimType.invalidPath),
        arguments(
            "missing dot after filter",
            "[{\"op\":\"replace\",\"path\":\"emails[type eq \\\"work\\\"]value\",\"value\":\"x\"}]",
            ScimType.invalidPath),
        arguments(
            "unknown sub-attribute in filter",
            "[{\"op\":\"replace\",\"path\":\"emails[foo eq \\\"x\\\"].value\",\"value\":\"x\"}]",
            ScimType.invalidPath),
        arguments(
            "unknown sub-attribute in a remove filter",
            "[{\"op\":\"remove\",\"path\":\"emails[foo eq \\\"x\\\" or type eq \\\"work\\\"]\"}]",
            ScimType.invalidPath),
        arguments(
            "three levels",
            "[{\"op\":\"add\",\"path\":\"name.givenName.x\",\"value\":\"x\"}]",
            ScimType.invalidPath),
        arguments(
            "a Group attribute on a user",
            "[{\"op\":\"add\",\"path\":\""
                + ScimSchemas.CORE_GROUP
                + ":displayName\",\"value\":\"x\"}]",
            ScimType.invalidPath),
        arguments(
            "displayName number",
            "[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":42}]",
            ScimType.invalidValue),
        arguments(
            "active maybe",
            "[{\"op\":\"replace\",\"path\":\"active\",\"value\":\"maybe\"}]",
            ScimType.invalidValue),
        arguments(
            "emails string",
            "[{\"op\":\"add\",\"path\":\"emails\",\"value\":\"x\"}]",
            ScimType.invalidValue),
        arguments(
            "name string",
            "[{\"op\":\"replace\",\"value\":{\"name\":\"Fuzz\"}}]",
            ScimType.invalidValue),
        arguments(
            "phone value number",
            "[{\"op\":\"add\",\"path\":\"phoneNumbers[type eq \\\"work\\\"].value\",\"value\":5550100}]",
            ScimType.invalidValue),
        arguments(
            "manager number",
            "[{\"op\":\"add\",\"path\":\"" + ENT + ":manager\",\"value\":42}]",
            ScimType.invalidValue),
        arguments(
            "non-canonical type through a filter",
            "[{\"op\":\"add\",\"path\":\"emails[type eq \\\"personal\\\"].value\",\"value\":\"a@x\"}]",
            ScimType.invalidValue),
        arguments(
            "NUL in a value",
            "[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"a\\u0000\"}]",
            ScimType.invalidValue),
        arguments(
            "lone surrogate in a pathless value",
            "[{\"op\":\"Replace\",\"value\":{\"displayName\":\"\\ud83d\"}}]",
            ScimType.invalidValue),
        arguments(
            "lone surrogate in a custom extension value",
            "[{\"op\":\"add\",\"path\":\"" + CUSTOM + ":badge\",\"value\":\"\\udfff\"}]",
            ScimType.invalidValue),
        arguments(
            "id changed",
            "[{\"op\":\"replace\",\"path\":\"id\",\"value\":\"other\"}]",
            ScimType.mutability),
        arguments(
            "groups",
            "[{\"op\":\"add\",\"path\":\"groups\",\"value\":[{\"value\":\"g\"}]}]",
            ScimType.mutability),
        arguments(
            "meta",
            "[{\"op\":\"replace\",\"path\":\"meta.created\",\"value\":\"x\"}]",
            ScimType.mutability),
        arguments(
            "manager.displayName",
            "[{\"op\":\"replace\",\"path\":\"" + ENT + ":manager.displayName\",\"value\":\"x\"}]",
            ScimType.mutability));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedPatches")
  void refusedPatchesAtTheGatewayAndInTheProcessor(String name, String ops, ScimType type) {
    assertRefused(() -> checkPatch(ResourceKind.USER, ops), type, null);
    // The processor's apply to a stored user refuses it the same way.
    ObjectNode stored =
        ResourceNormalizer.forCreate(ResourceKind.USER, load("entra/create-user.json")).document();
    stored.put("id", ID);
    assertRefused(
        () -> PatchApplier.applyToUser(stored, PatchParser.parse(patchBody(ops))), type, null);
  }

  @Test
  void patchRefusalsNameTheAttribute() {
    assertRefused(
        () ->
            checkPatch(
                ResourceKind.USER,
                "[{\"op\":\"Replace\",\"value\":{\"name.givenName\":\"\\u0000\"}}]"),
        ScimType.invalidValue,
        "name.givenName");
    assertRefused(
        () -> checkPatch(ResourceKind.USER, "[{\"op\":\"add\",\"path\":\"title\",\"value\":7}]"),
        ScimType.invalidValue,
        "title");
  }

  @Test
  void deliberatePatchLeniencesStayAccepted() {
    for (String fixture :
        new String[] {
          "entra/patch-user-attributes.json",
          "entra/patch-user-disable.json",
          "entra/patch-user-disable-flag.json",
          "entra/patch-user-manager-add.json",
          "entra/patch-user-manager-add-flag.json",
          "entra/patch-user-manager-remove.json",
          "entra/patch-user-replace-no-path.json",
          "okta/patch-user-deactivate.json"
        }) {
      PatchApplier.check(ResourceKind.USER, ID, PatchParser.parse(load(fixture)));
    }
    for (String fixture :
        new String[] {
          "entra/patch-group-add-members.json",
          "entra/patch-group-remove-member.json",
          "entra/patch-group-rename.json",
          "okta/patch-group-push-members.json",
          "okta/patch-group-push-rename.json"
        }) {
      // The gateway passes the id of the URL; Okta repeats the group's own id.
      PatchApplier.check(
          ResourceKind.GROUP,
          "c4e9a2b7-1f35-4d68-9b0e-7a2c5d8f3e61",
          PatchParser.parse(load(fixture)));
    }
    // Okta repeats the unchanged id; custom extension attributes are patched as sent.
    checkPatch(
        ResourceKind.USER,
        "[{\"op\":\"replace\",\"value\":{\"id\":\""
            + ID
            + "\",\"active\":\"True\",\""
            + CUSTOM
            + ":badge\":{\"colour\":\"red\"}}}]");
  }

  // ---- depth: nothing recursive ever sees a deep document ----

  private static ObjectNode nested(int depth) {
    ObjectNode root = Fixtures.JSON.createObjectNode();
    ObjectNode at = root;
    for (int i = 0; i < depth; i++) {
      at = at.putObject("a");
    }
    at.put("leaf", "x");
    return root;
  }

  @Test
  void tenThousandLevelsAreRefusedWithoutStackOverflow() {
    ObjectNode body = (ObjectNode) parse(user(""));
    body.withArray("schemas").add(CUSTOM);
    body.set(CUSTOM, nested(10_000));
    assertRefused(
        () -> ResourceNormalizer.forCreate(ResourceKind.USER, body), ScimType.invalidSyntax, null);

    ObjectNode stored = (ObjectNode) parse(user(""));
    stored.set(CUSTOM, nested(10_000));
    assertRefused(
        () ->
            PatchApplier.applyToUser(
                stored,
                PatchParser.parse(
                    patchBody("[{\"op\":\"add\",\"path\":\"title\",\"value\":\"x\"}]"))),
        ScimType.invalidSyntax,
        null);

    ObjectNode patch = (ObjectNode) patchBody("[{\"op\":\"add\",\"path\":\"" + CUSTOM + ":x\"}]");
    ((ObjectNode) patch.get("Operations").get(0)).set("value", nested(10_000));
    assertRefused(() -> PatchParser.parse(patch), ScimType.invalidSyntax, null);

    assertRefused(
        () -> ResourceValidator.validate(ResourceKind.USER, stored), ScimType.invalidSyntax, null);
    // dropNulls itself is iterative.
    JsonNode copy = Values.dropNulls(nested(10_000));
    assertThat(copy.at("/a/a/a").isObject()).isTrue();
  }

  private static void assertRefused(Runnable call, ScimType type, String named) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.scimType()).as(e.detail()).isEqualTo(type);
              if (named != null) {
                assertThat(e.detail()).contains(named);
              }
            });
  }
}
