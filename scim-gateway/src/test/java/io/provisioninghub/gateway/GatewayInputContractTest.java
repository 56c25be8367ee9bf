package io.provisioninghub.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's input contract (docs/input-contract.md) against the real broker: hostile and
 * malformed bodies get a SCIM 400 at once, and nothing reaches scim.commands.v1. Every refused body
 * carries a marker; after the answer, a fence record we publish ourselves bounds the wait for
 * anything the gateway might have published.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class GatewayInputContractTest {

  @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
  java.net.URL ready;

  static final String TOKEN = TestTenants.newSecret();
  static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  static final String ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  static final String CUSTOM = "urn:ietf:params:scim:schemas:extension:Custom:2.0:User";
  static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

  /** Well under the 3 s reply timeout of the test profile: refused without waiting for anyone. */
  static final Duration QUICKLY = Duration.ofMillis(1500);

  static TopicProbe commands;
  static boolean onboarded;

  @BeforeAll
  static void probe() {
    commands = TopicProbe.open(Infrastructure.shared().kafka().bootstrapServers(), Topics.COMMANDS);
  }

  @AfterAll
  static void close() {
    commands.close();
  }

  @BeforeEach
  void awaitReady() {
    await().atMost(Duration.ofSeconds(60)).until(() -> RestAssured.get(ready).statusCode() == 200);
    if (!onboarded) {
      TestTenants.onboard("input-contract", TOKEN, new TenantSnapshot.RateLimit(1000, 1000));
      onboarded = true;
    }
  }

  @Test
  void deepNestingIsRefusedWith400() {
    for (int depth : new int[] {950, 800, 40}) {
      String marker = marker();
      String body =
          "{\"schemas\":[\""
              + USER
              + "\",\""
              + CUSTOM
              + "\"],\"userName\":\""
              + marker
              + "\",\""
              + CUSTOM
              + "\":"
              + "{\"a\":".repeat(depth)
              + "1"
              + "}".repeat(depth)
              + "}";
      Response r = refused(post(body), "invalidSyntax");
      assertThat(r.jsonPath().getString("detail")).contains("nesting depth");
      assertNothingPublishedWith(marker);

      String patch =
          patchBody(
              "{\"op\":\"add\",\"path\":\"title\",\"value\":\""
                  + marker
                  + "\"},{\"op\":\"add\",\"path\":\""
                  + CUSTOM
                  + ":x\",\"value\":"
                  + "[".repeat(depth)
                  + "]".repeat(depth)
                  + "}");
      refused(patch(patch), "invalidSyntax");
      assertNothingPublishedWith(marker);
    }
  }

  @Test
  void nulInUserNameIsRefusedWith400() {
    String marker = marker();
    Response r = refused(post(user("\"userName\":\"" + marker + "\\u0000\"")), "invalidValue");
    assertThat(r.jsonPath().getString("detail")).contains("userName").contains("U+0000");
    String patchMarker = marker();
    refused(
        patch(
            patchBody(
                "{\"op\":\"replace\",\"path\":\"userName\",\"value\":\""
                    + patchMarker
                    + "\\u0000\"}")),
        "invalidValue");
    // A control character other than TAB, CR, LF, even in free text.
    String bel = marker();
    refused(
        post(user("\"userName\":\"" + bel + "\",\"displayName\":\"x\\u0007\"")), "invalidValue");
    assertNothingPublishedWith(marker);
    assertNothingPublishedWith(patchMarker);
    assertNothingPublishedWith(bel);
  }

  @Test
  void loneSurrogateIsRefusedWith400() {
    String inUserName = marker();
    Response r = refused(post(user("\"userName\":\"" + inUserName + "\\ud83d\"")), "invalidValue");
    assertThat(r.jsonPath().getString("detail")).contains("userName").contains("surrogate");

    String inDisplayName = marker();
    r =
        refused(
            post(user("\"userName\":\"" + inDisplayName + "\",\"displayName\":\"Lena \\ude00\"")),
            "invalidValue");
    assertThat(r.jsonPath().getString("detail")).contains("displayName");

    String inPatch = marker();
    r =
        refused(
            patch(
                patchBody(
                    "{\"op\":\"add\",\"path\":\"title\",\"value\":\""
                        + inPatch
                        + "\"},{\"op\":\"Replace\",\"value\":{\"displayName\":\"\\ud83d\"}}")),
            "invalidValue");
    assertThat(r.jsonPath().getString("detail")).contains("displayName");

    // The same surrogate as raw (CESU-8) bytes instead of an escape.
    String raw = marker();
    byte[] prefix = user("\"userName\":\"" + raw + "\",\"displayName\":\"x").getBytes();
    byte[] body = new byte[prefix.length - 1 + 3 + 2];
    System.arraycopy(prefix, 0, body, 0, prefix.length - 1);
    int at = prefix.length - 1;
    body[at] = (byte) 0xED;
    body[at + 1] = (byte) 0xA0;
    body[at + 2] = (byte) 0xBD;
    body[at + 3] = '"';
    body[at + 4] = '}';
    Response rawAnswer =
        timed(
            () ->
                given()
                    .auth()
                    .oauth2(TOKEN)
                    .contentType("application/scim+json")
                    .body(body)
                    .post("/scim/v2/Users"));
    assertThat(rawAnswer.statusCode()).isEqualTo(400);
    assertThat(rawAnswer.jsonPath().getString("scimType")).isIn("invalidSyntax", "invalidValue");

    assertNothingPublishedWith(inUserName);
    assertNothingPublishedWith(inDisplayName);
    assertNothingPublishedWith(inPatch);
    assertNothingPublishedWith(raw);
  }

  @Test
  void trailingTokensAreRefused() {
    for (String tail : new String[] {" x", " /* c */", " // c", " {}", " 1", ","}) {
      String marker = marker();
      refused(post(user("\"userName\":\"" + marker + "\"") + tail), "invalidSyntax");
      assertNothingPublishedWith(marker);
    }
    // Other non-standard JSON: comments inside, NaN, single quotes, trailing commas.
    for (String body :
        new String[] {
          "{/* c */\"schemas\":[\"" + USER + "\"],\"userName\":\"%s\"}",
          "{\"schemas\":[\"" + USER + "\"],\"userName\":\"%s\",\"x\":NaN}",
          "{\"schemas\":[\"" + USER + "\"],'userName':'%s'}",
          "{\"schemas\":[\"" + USER + "\",],\"userName\":\"%s\"}"
        }) {
      String marker = marker();
      refused(post(String.format(body, marker)), "invalidSyntax");
      assertNothingPublishedWith(marker);
    }
  }

  @Test
  void duplicateKeysAreRefused() {
    String twice = marker();
    Response r =
        refused(
            post(user("\"userName\":\"" + twice + "\",\"userName\":\"other\"")), "invalidSyntax");
    assertThat(r.jsonPath().getString("detail")).contains("userName");

    String caseVariant = marker();
    refused(
        post(user("\"userName\":\"" + caseVariant + "\",\"USERNAME\":\"other\"")), "invalidSyntax");

    String operationsTwice = marker();
    refused(
        patch(
            "{\"schemas\":[\""
                + PATCH_OP
                + "\"],\"Operations\":[{\"op\":\"add\",\"path\":\"title\",\"value\":\""
                + operationsTwice
                + "\"}],\"Operations\":[{\"op\":\"remove\",\"path\":\"title\"}]}"),
        "invalidSyntax");
    assertNothingPublishedWith(twice);
    assertNothingPublishedWith(caseVariant);
    assertNothingPublishedWith(operationsTwice);
  }

  @Test
  void wrongTypesAreRefused() {
    String enterprise = "\"schemas\":[\"" + USER + "\",\"" + ENT + "\"],";
    for (String attributes :
        new String[] {
          "\"displayName\":42",
          "\"emails\":\"x\"",
          "\"name\":\"Fuzz\"",
          "\"active\":\"maybe\"",
          "\"phoneNumbers\":[{\"type\":\"work\",\"value\":5550100}]",
          "\"emails\":[{\"type\":\"personal\",\"value\":\"a@x\"}]",
        }) {
      String marker = marker();
      refused(post(user("\"userName\":\"" + marker + "\"," + attributes)), "invalidValue");
      assertNothingPublishedWith(marker);
    }
    String manager = marker();
    refused(
        post(
            "{"
                + enterprise
                + "\"userName\":\""
                + manager
                + "\",\""
                + ENT
                + "\":{\"manager\":42}}"),
        "invalidValue");
    assertNothingPublishedWith(manager);

    // PATCH: value types, unknown and malformed paths, read-only targets.
    String[][] patches = {
      {"{\"op\":\"replace\",\"path\":\"displayName\",\"value\":42}", "invalidValue"},
      {"{\"op\":\"replace\",\"path\":\"active\",\"value\":\"maybe\"}", "invalidValue"},
      {"{\"op\":\"add\",\"path\":\"" + ENT + ":manager\",\"value\":42}", "invalidValue"},
      {
        "{\"op\":\"replace\",\"path\":\"phoneNumbers[type eq \\\"work\\\"].value\",\"value\":5550100}",
        "invalidValue"
      },
      {
        "{\"op\":\"replace\",\"path\":\"emails[type eq \\\"work\\\"]value\",\"value\":\"a@x\"}",
        "invalidPath"
      },
      {"{\"op\":\"add\",\"path\":\"nickname2\",\"value\":\"x\"}", "invalidPath"},
      {"{\"op\":\"add\",\"path\":\"groups\",\"value\":[{\"value\":\"g\"}]}", "mutability"},
    };
    for (String[] op : patches) {
      String marker = marker();
      refused(
          patch(
              patchBody(
                  "{\"op\":\"add\",\"path\":\"title\",\"value\":\"" + marker + "\"}," + op[0])),
          op[1]);
      assertNothingPublishedWith(marker);
    }
  }

  /** Entra's and Okta's deviations are not refused: the command is published as usual. */
  @Test
  void deliberateLeniencesArePublished() {
    String userName = "lena_contoso.com#EXT#-" + UUID.randomUUID() + "@fabrikam.onmicrosoft.com";
    String body =
        "{\"schemas\":[\""
            + USER
            + "\",\""
            + ENT
            + "\"],\"userName\":\""
            + userName
            + "\",\"active\":\"False\",\""
            + ENT
            + "\":{\"manager\":\"26118915-6090-4610-87e4-49d8ca9f808d\"}}";
    // No processor runs in this test: the write is published and times out with 503.
    post(body).then().statusCode(503);
    ConsumerRecord<String, byte[]> record =
        commands.awaitOne(r -> new String(r.value()).contains(userName), Duration.ofSeconds(10));
    ProvisioningCommand command = ContractJson.command(record.value());
    assertThat(command.payload().get("active").booleanValue()).isFalse();
    assertThat(command.payload().get(ENT).get("manager").get("value").asText())
        .isEqualTo("26118915-6090-4610-87e4-49d8ca9f808d");
  }

  // ---- helpers ----

  private static String marker() {
    return "marker-" + UUID.randomUUID();
  }

  private static String user(String attributes) {
    return "{\"schemas\":[\"" + USER + "\"]," + attributes + "}";
  }

  private static String patchBody(String operations) {
    return "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[" + operations + "]}";
  }

  private static Response post(String body) {
    return timed(
        () ->
            given()
                .auth()
                .oauth2(TOKEN)
                .contentType("application/scim+json")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/scim/v2/Users"));
  }

  private static Response patch(String body) {
    return timed(
        () ->
            given()
                .auth()
                .oauth2(TOKEN)
                .contentType("application/scim+json")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .patch("/scim/v2/Users/" + UUID.randomUUID()));
  }

  private static Response timed(java.util.function.Supplier<Response> call) {
    long start = System.nanoTime();
    Response r = call.get();
    r.then().extract();
    lastElapsed = Duration.ofNanos(System.nanoTime() - start);
    return r;
  }

  private static Duration lastElapsed = Duration.ZERO;

  /** A SCIM 400 error body with this scimType, answered without waiting for any outcome. */
  private static Response refused(Response r, String scimType) {
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/scim+json");
    assertThat(r.jsonPath().getString("schemas[0]"))
        .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
    assertThat(r.jsonPath().getString("status")).isEqualTo("400");
    assertThat(r.jsonPath().getString("scimType")).as(r.asString()).isEqualTo(scimType);
    assertThat(lastElapsed).as("answered quickly").isLessThan(QUICKLY);
    return r;
  }

  private static void assertNothingPublishedWith(String marker) {
    String fence = "fence-" + UUID.randomUUID();
    TopicProbe.send(
        Infrastructure.shared().kafka().bootstrapServers(),
        Topics.COMMANDS,
        "fence",
        fence.getBytes(),
        null);
    commands.awaitOne(r -> new String(r.value()).equals(fence), Duration.ofSeconds(10));
    assertThat(commands.records(r -> new String(r.value()).contains(marker))).isEmpty();
  }
}
