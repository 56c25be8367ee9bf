package io.provisioninghub.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.gateway.TestTenants;
import io.provisioninghub.scim.filter.FilterCost;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every refusal of the SCIM API is application/scim+json with an RFC 7644 section 3.12 body, also
 * when it is decided below the resources (by the HTTP filters or the router), and a filter the
 * store cannot or should not evaluate is 400, never 503. Sent over a bare socket where clients
 * refuse to send such requests.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class HttpLayerErrorsTest {

  @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
  java.net.URL ready;

  static final String TOKEN = TestTenants.newSecret();
  static final ObjectMapper JSON = new ObjectMapper();
  static boolean onboarded;

  @BeforeEach
  void awaitReady() throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> RestAssured.get(ready).statusCode() == 200);
    if (!onboarded) {
      createScimSchema();
      TestTenants.onboard("http-errors", TOKEN, new TenantSnapshot.RateLimit(1000, 1000));
      onboarded = true;
    }
  }

  private static String head(String requestLine, String... headers) {
    StringBuilder head =
        new StringBuilder(requestLine)
            .append("\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer ")
            .append(TOKEN);
    for (String h : headers) {
      head.append("\r\n").append(h);
    }
    return head.toString();
  }

  private static RawHttp.Response get(String target, String... headers) throws Exception {
    return RawHttp.send(RestAssured.port, head("GET " + target + " HTTP/1.1", headers));
  }

  private static RawHttp.Response list(String filter) throws Exception {
    return get("/scim/v2/Users?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8));
  }

  /** Asserts a SCIM error and returns its detail. */
  private static String assertScimError(RawHttp.Response r, int status, String scimType)
      throws Exception {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/scim+json");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("schemas").get(0).asText())
        .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
    assertThat(body.path("status").isTextual()).isTrue();
    assertThat(body.path("status").asText()).isEqualTo(Integer.toString(status));
    if (scimType == null) {
      assertThat(body.has("scimType")).as(r.body()).isFalse();
    } else {
      assertThat(body.path("scimType").asText()).isEqualTo(scimType);
    }
    assertThat(body.path("detail").asText()).isNotBlank();
    return body.path("detail").asText();
  }

  @Test
  void methodNotAllowedIs405() throws Exception {
    RawHttp.Response r =
        RawHttp.send(
            RestAssured.port,
            head(
                "PATCH /scim/v2/Users HTTP/1.1",
                "Content-Type: application/scim+json",
                "Content-Length: 2"),
            "{}".getBytes(StandardCharsets.UTF_8));
    assertScimError(r, 405, null);
    assertScimError(
        RawHttp.send(RestAssured.port, head("DELETE /scim/v2/ServiceProviderConfig HTTP/1.1")),
        405,
        null);
  }

  @Test
  void notAcceptableIs406() throws Exception {
    assertScimError(get("/scim/v2/Users", "Accept: text/html"), 406, null);
  }

  @Test
  void unsupportedMediaTypeIs415() throws Exception {
    RawHttp.Response r =
        RawHttp.send(
            RestAssured.port,
            head("POST /scim/v2/Users HTTP/1.1", "Content-Type: text/plain", "Content-Length: 2"),
            "{}".getBytes(StandardCharsets.UTF_8));
    assertScimError(r, 415, null);
  }

  private static byte[] chunked(String body, int chunkSize) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < body.length(); i += chunkSize) {
      String chunk = body.substring(i, Math.min(body.length(), i + chunkSize));
      out.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
    }
    return out.append("0\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void chunkedBodyOverTheLimitIs413() throws Exception {
    String body =
        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"big\","
            + "\"displayName\":\""
            + "a".repeat(1_200_000)
            + "\"}";
    RawHttp.Response r =
        RawHttp.send(
            RestAssured.port,
            head(
                "POST /scim/v2/Users HTTP/1.1",
                "Content-Type: application/scim+json",
                "Transfer-Encoding: chunked"),
            chunked(body, 65536));
    assertThat(assertScimError(r, 413, null)).contains("1048576 bytes");
  }

  @Test
  void chunkedBodyUnderTheLimitStillReachesTheResource() throws Exception {
    // No userName: the resource must have read the body to say so.
    String body = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"active\":true}";
    RawHttp.Response r =
        RawHttp.send(
            RestAssured.port,
            head(
                "POST /scim/v2/Users HTTP/1.1",
                "Content-Type: application/scim+json",
                "Transfer-Encoding: chunked"),
            chunked(body, 16));
    assertThat(assertScimError(r, 400, "invalidValue")).containsIgnoringCase("userName");
  }

  @Test
  void uriOverTheLimitIs414() throws Exception {
    String filter = "userName eq \"" + "a".repeat(9000) + "\"";
    assertThat(assertScimError(list(filter), 414, null)).contains("the limit is 8192");
  }

  /** Above Vert.x's own line limit the HTTP decoder answers, before any handler: no body. */
  @Test
  void uriOverTheHttpDecoderLimitGetsABare414() throws Exception {
    RawHttp.Response r = get("/scim/v2/Users?filter=" + "a".repeat(70_000));
    assertThat(r.status()).isEqualTo(414);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void headersOverTheLimitAre431() throws Exception {
    String detail =
        assertScimError(get("/scim/v2/Users", "X-Big: " + "a".repeat(30_000)), 431, null);
    assertThat(detail).contains("the limit is 20480 bytes");
  }

  @Test
  void malformedPercentEncodingIs400() throws Exception {
    assertThat(assertScimError(get("/scim/v2/Users?filter=%zz"), 400, "invalidSyntax"))
        .contains("malformed");
    assertThat(assertScimError(get("/scim/v2/Users?filter=userName%2"), 400, "invalidSyntax"))
        .contains("%25");
    assertThat(assertScimError(get("/scim/v2/Users/%zz"), 400, "invalidSyntax"))
        .contains("malformed");
    // Outside the SCIM API the URI is still checked, without a SCIM body.
    RawHttp.Response other = get("/elsewhere/%zz");
    assertThat(other.status()).isEqualTo(400);
    assertThat(other.body()).isEmpty();
  }

  @Test
  void percentEncodedBytesThatAreNotUtf8Are400() throws Exception {
    assertThat(
            assertScimError(
                get("/scim/v2/Users?filter=userName%20eq%20%22%C3%28%22"), 400, "invalidSyntax"))
        .contains("not UTF-8");
    assertThat(assertScimError(get("/scim/v2/Users/%C3%28"), 400, "invalidSyntax"))
        .contains("not UTF-8");
    // A surrogate encoded as if it were a character (CESU-8) is not UTF-8 either.
    assertScimError(
        get("/scim/v2/Users?filter=userName%20eq%20%22%ED%A0%80%22"), 400, "invalidSyntax");
  }

  @Test
  void nulInAFilterLiteralIsInvalidFilter() throws Exception {
    assertThat(assertScimError(list("userName eq \"a\\u0000b\""), 400, "invalidFilter"))
        .contains("NUL");
    assertThat(assertScimError(list("userName eq \"a\u0000b\""), 400, "invalidFilter"))
        .contains("NUL");
  }

  @Test
  void loneSurrogateInAFilterLiteralIsInvalidFilter() throws Exception {
    assertThat(assertScimError(list("userName eq \"a\\ud800b\""), 400, "invalidFilter"))
        .contains("surrogate");
  }

  private static String ors(int n, String op) {
    return IntStream.range(0, n)
        .mapToObj(i -> "userName " + op + " \"u" + i + "\"")
        .collect(Collectors.joining(" or "));
  }

  @Test
  void tooManyComparisonsIsInvalidFilter() throws Exception {
    assertThat(list(ors(FilterCost.MAX_COMPARISONS, "eq")).status()).isEqualTo(200);
    assertThat(
            assertScimError(list(ors(FilterCost.MAX_COMPARISONS + 1, "eq")), 400, "invalidFilter"))
        .contains("at most " + FilterCost.MAX_COMPARISONS);
  }

  @Test
  void tooManySubstringComparisonsIsInvalidFilter() throws Exception {
    assertThat(list(ors(FilterCost.MAX_SUBSTRING_COMPARISONS, "co")).status()).isEqualTo(200);
    assertThat(
            assertScimError(
                list(ors(FilterCost.MAX_SUBSTRING_COMPARISONS + 1, "co")), 400, "invalidFilter"))
        .contains("co/sw/ew")
        .contains("at most " + FilterCost.MAX_SUBSTRING_COMPARISONS);
  }

  @Test
  void tooDeepNestingIsInvalidFilter() throws Exception {
    int depth = FilterCost.MAX_NESTING + 1;
    String filter =
        String.join("", Collections.nCopies(depth - 1, "not ("))
            + "userName eq \"x\""
            + ")".repeat(depth - 1);
    assertThat(assertScimError(list(filter), 400, "invalidFilter"))
        .contains("at most " + FilterCost.MAX_NESTING);
  }

  /**
   * A read the database cancels at the statement timeout (here: it waits on a lock for longer) is
   * the client's too expensive request, 400, not the store being unavailable.
   */
  @Test
  void aReadCancelledByTheStatementTimeoutIs400() throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute("lock table scim.users in access exclusive mode");
      try {
        String detail =
            assertScimError(
                list("userName co \"" + UUID.randomUUID() + "\""), 400, "invalidFilter");
        assertThat(detail).contains("too expensive").contains("2000 ms");
        assertThat(assertScimError(get("/scim/v2/Users"), 400, "tooMany"))
            .contains("too expensive");
      } finally {
        c.rollback();
      }
    }
    assertThat(list("userName co \"" + UUID.randomUUID() + "\"").status()).isEqualTo(200);
  }

  /** The processor's own migrations, so the gateway reads the tables the processor writes. */
  private static void createScimSchema() throws Exception {
    io.provisioninghub.gateway.ScimSchema.ensure();
  }
}
