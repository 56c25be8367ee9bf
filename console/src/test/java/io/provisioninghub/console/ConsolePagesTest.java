package io.provisioninghub.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.console.UpstreamStub.Recorded;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The customer's pages against a recording stand-in for the registry and the audit log: the setup
 * link, the session cookie, the tenant taken only from the session, CSRF, headers and the error
 * pages.
 */
@QuarkusTest
@QuarkusTestResource(value = ConsoleTestResource.class, restrictToAnnotatedClass = true)
class ConsolePagesTest {

  static final String COOKIE = "__Host-phub-console";
  static final String CSRF_COOKIE = "phub-console-csrf";
  static final String TOKEN = "phub_setup_" + "A".repeat(43);
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  UpstreamStub stub;

  @BeforeEach
  void reset() {
    stub = ConsoleTestResource.stub;
    stub.reset();
  }

  /** Redeems a setup link of {@code tenant} and returns the session cookie's value. */
  String login(String tenant) {
    stub.answer(
        "POST",
        "/admin/v1/setup-links/redeem",
        200,
        "{\"tenantId\":\""
            + tenant
            + "\",\"linkId\":\"6f1c\",\"displayName\":\"Tenant "
            + tenant
            + "\",\"redeemedAt\":\"2026-12-04T10:00:00Z\"}");
    String cookie =
        given()
            .redirects()
            .follow(false)
            .get("/console/setup/" + TOKEN)
            .then()
            .statusCode(200)
            .extract()
            .cookie(COOKIE);
    assertThat(cookie).isNotBlank();
    return cookie;
  }

  /** The Set-Cookie header of this cookie, or null. */
  static String setCookie(Response reply, String name) {
    return reply.headers().getValues("Set-Cookie").stream()
        .filter(h -> h.startsWith(name + "="))
        .findFirst()
        .orElse(null);
  }

  /** A form's CSRF token and its cookie, as the setup page hands them out. */
  record Csrf(String token, String cookie) {}

  Csrf csrf(String session) {
    Response page = given().cookie(COOKIE, session).get("/console/tenant/setup");
    assertThat(page.statusCode()).isEqualTo(200);
    Matcher m = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"").matcher(page.asString());
    assertThat(m.find()).as("a CSRF field in the setup page's forms").isTrue();
    return new Csrf(m.group(1), page.cookie(CSRF_COOKIE));
  }

  @Test
  void theSetupLinkOpensASessionAndLeavesTheAddressBar() {
    stub.answer(
        "POST",
        "/admin/v1/setup-links/redeem",
        200,
        "{\"tenantId\":\"contoso\",\"linkId\":\"l1\",\"displayName\":\"Contoso\"}");
    Response reply = given().redirects().follow(false).get("/console/setup/" + TOKEN);

    // A page that goes on by itself (a same-site step, so the Strict cookie is sent even when the
    // link was clicked on another site), not a redirect.
    assertThat(reply.statusCode()).isEqualTo(200);
    assertThat(reply.header("Location")).isNull();
    assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
    assertThat(reply.asString())
        .contains("<meta http-equiv=\"refresh\" content=\"0; url=/console/tenant/setup\">")
        .contains("<a href=\"/console/tenant/setup\">")
        .contains("Contoso")
        .doesNotContain(TOKEN);
    String setCookie = setCookie(reply, COOKIE);
    assertThat(setCookie)
        .startsWith(COOKIE + "=")
        .contains("HttpOnly")
        .contains("Secure")
        .containsIgnoringCase("SameSite=Strict")
        .contains("Path=/;")
        .contains("Max-Age=28800");
    assertThat(setCookie).doesNotContain("contoso");
    assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
    assertThat(reply.header("Referrer-Policy")).isEqualTo("no-referrer");

    Recorded redeem = stub.requests("POST", "/admin/v1/setup-links/redeem").get(0);
    assertThat(redeem.body()).isEqualTo("{\"token\":\"" + TOKEN + "\"}");
    JwtClaims admin =
        TestJwts.verified(redeem.bearer(), ConsoleTestResource.ADMIN_KEYS.getPublic());
    assertThat(admin.getClaimValue("groups")).isEqualTo(List.of("provisioning-admin"));

    String page =
        given().cookie(COOKIE, reply.cookie(COOKIE)).get("/console/tenant/setup").asString();
    assertThat(page).contains("Contoso").contains("https://scim.example.test/scim/v2");
  }

  @Test
  void aRefusedLinkSaysWhatHappenedAndOpensNoSession() {
    record Case(int upstream, String type, int status, String says) {}
    List<Case> cases =
        List.of(
            new Case(404, "urn:provisioninghub:problem:setup-link-unknown", 404, "not valid"),
            new Case(
                410, "urn:provisioninghub:problem:setup-link-redeemed", 410, "already been used"),
            new Case(410, "urn:provisioninghub:problem:setup-link-expired", 410, "has expired"),
            new Case(410, "urn:provisioninghub:problem:setup-link-revoked", 410, "withdrawn"),
            new Case(410, "urn:provisioninghub:problem:tenant-not-active", 410, "not active"),
            new Case(410, null, 410, "no longer works"),
            new Case(404, null, 404, "not valid"),
            new Case(400, null, 404, "not valid"));
    for (Case c : cases) {
      stub.reset();
      String problem =
          (c.type() == null ? "{" : "{\"type\":\"" + c.type() + "\",")
              + "\"status\":"
              + c.upstream()
              + ",\"title\":\"x\",\"detail\":\"upstream detail text\"}";
      stub.answer("POST", "/admin/v1/setup-links/redeem", c.upstream(), problem);
      Response reply = given().redirects().follow(false).get("/console/setup/" + TOKEN);
      assertThat(reply.statusCode()).as(c.toString()).isEqualTo(c.status());
      assertThat(reply.contentType()).startsWith("text/html");
      assertThat(reply.asString())
          .as(c.toString())
          .contains(c.says())
          .contains("Ask your provider")
          .doesNotContain("upstream detail text")
          .doesNotContain("Exception");
      assertThat(reply.headers().getValues("Set-Cookie")).as(c.toString()).isEmpty();
    }

    stub.reset();
    Response malformed = given().redirects().follow(false).get("/console/setup/not-a-link");
    assertThat(malformed.statusCode()).isEqualTo(404);
    assertThat(stub.requests()).isEmpty();

    stub.answer("POST", "/admin/v1/setup-links/redeem", 500, "{\"detail\":\"db down\"}");
    Response down = given().redirects().follow(false).get("/console/setup/" + TOKEN);
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.asString()).contains("not available").doesNotContain("db down");
  }

  @Test
  void customerPagesAnswerOnlyWithAValidSession() {
    String session = login("contoso");
    char last = session.charAt(session.length() - 2);
    String altered =
        session.substring(0, session.length() - 2)
            + (last == 'A' ? 'B' : 'A')
            + session.substring(session.length() - 1);
    for (String path :
        List.of(
            "/console/tenant/setup",
            "/console/tenant/log",
            "/console/tenant/log.csv",
            "/console/tenant/connection")) {
      assertThat(given().redirects().follow(false).get(path).statusCode()).as(path).isEqualTo(401);
      assertThat(given().cookie(COOKIE, altered).get(path).statusCode()).as(path).isEqualTo(401);
      assertThat(given().cookie(COOKIE, "garbage").get(path).statusCode()).as(path).isEqualTo(401);
    }
    assertThat(given().get("/console/tenant/setup").asString())
        .contains("You are not signed in")
        .contains("setup link");
  }

  @Test
  void theTenantComesOnlyFromTheSession() {
    String session = login("contoso");
    stub.reset();
    List<String> probes =
        List.of(
            "/console/tenant/setup?tenant=fabrikam&tenantId=fabrikam",
            "/console/tenant/log?tenant=fabrikam&tenantId=fabrikam&user=alice",
            "/console/tenant/log?target=fabrikam&resourceType=Group",
            "/console/tenant/log.csv?tenant=fabrikam&tenantId=fabrikam",
            "/console/tenant/connection?tenant=fabrikam");
    for (String probe : probes) {
      Response reply = given().cookie(COOKIE, session).get(probe);
      assertThat(reply.statusCode()).as(probe).isEqualTo(200);
      assertThat(reply.asString()).as(probe).doesNotContain("fabrikam");
    }
    for (String probe :
        List.of(
            "/console/tenant/fabrikam/log",
            "/console/tenants/fabrikam/log",
            "/console/api/tenants/fabrikam/summary")) {
      Response reply = given().cookie(COOKIE, session).get(probe);
      assertThat(reply.statusCode()).as(probe).isEqualTo(404);
      assertThat(reply.asString()).as(probe).doesNotContain("fabrikam");
    }

    assertThat(stub.requests()).isNotEmpty();
    for (Recorded r : stub.requests()) {
      assertThat(r.path() + "?" + r.query()).doesNotContain("fabrikam");
      assertThat(r.path()).matches("/(admin|audit)/v1/tenants/contoso/.*");
      if (r.path().startsWith("/audit/")) {
        JwtClaims claims =
            TestJwts.verified(r.bearer(), ConsoleTestResource.SUPPORT_KEYS.getPublic());
        assertThat(claims.getClaimValue("tenants")).isEqualTo(List.of("contoso"));
        assertThat(claims.getClaimValue("groups")).isEqualTo(List.of("support"));
        assertThat(claims.getClaimValue("sub")).isEqualTo("console:customer:contoso");
      } else {
        JwtClaims claims =
            TestJwts.verified(r.bearer(), ConsoleTestResource.ADMIN_KEYS.getPublic());
        assertThat(claims.getClaimValue("groups")).isEqualTo(List.of("provisioning-admin"));
        assertThat(claims.getClaimValue("sub")).isEqualTo("console:customer:contoso");
      }
    }
  }

  @Test
  void serviceTokensAreShortLivedAndMadeForTheirAudience() throws Exception {
    String session = login("contoso");
    given().cookie(COOKIE, session).get("/console/tenant/setup").then().statusCode(200);
    Recorded audit = stub.requests("GET", "/audit/v1/tenants/contoso/summary").get(0);
    JwtClaims support =
        TestJwts.verified(audit.bearer(), ConsoleTestResource.SUPPORT_KEYS.getPublic());
    assertThat(support.getIssuer()).isEqualTo("provisioninghub-support");
    assertThat(support.getAudience()).containsExactly("provisioninghub-support-api");
    assertThat(support.getExpirationTime().getValue() - support.getIssuedAt().getValue())
        .isEqualTo(300);

    Recorded registry = stub.requests("GET", "/admin/v1/tenants/contoso/credentials").get(0);
    JwtClaims admin =
        TestJwts.verified(registry.bearer(), ConsoleTestResource.ADMIN_KEYS.getPublic());
    assertThat(admin.getIssuer()).isEqualTo("provisioninghub-local-admin");
    assertThat(admin.getAudience()).containsExactly("provisioninghub-admin-api");
    assertThat(admin.getExpirationTime().getValue() - admin.getIssuedAt().getValue())
        .isEqualTo(300);
    assertThat(admin.hasClaim("tenants")).isFalse();
  }

  @Test
  void aFormWithoutItsCsrfTokenIsRefusedAndIssuesNothing() {
    String session = login("contoso");
    Csrf csrf = csrf(session);
    stub.answer(
        "POST",
        "/admin/v1/tenants/contoso/credentials",
        201,
        "{\"id\":\"cred1\",\"secret\":\"phub_SECRETSECRETSECRETSECRET\",\"status\":\"ACTIVE\"}");

    Response forged =
        given().cookie(COOKIE, session).formParam("x", "y").post("/console/tenant/credentials");
    assertThat(forged.statusCode()).isIn(400, 403);
    Response wrong =
        given()
            .cookie(COOKIE, session)
            .cookie(CSRF_COOKIE, csrf.cookie())
            .formParam("csrf-token", "not-the-token")
            .post("/console/tenant/credentials");
    assertThat(wrong.statusCode()).isIn(400, 403);
    assertThat(stub.requests("POST", "/admin/v1/tenants/")).isEmpty();

    Response issued =
        given()
            .cookie(COOKIE, session)
            .cookie(CSRF_COOKIE, csrf.cookie())
            .formParam("csrf-token", csrf.token())
            .post("/console/tenant/credentials");
    assertThat(issued.statusCode()).isEqualTo(200);
    assertThat(issued.asString())
        .contains("phub_SECRETSECRETSECRETSECRET")
        .contains("shown only this once")
        .contains("data-copy=\"secret-token\"");
    assertThat(issued.header("Cache-Control")).isEqualTo("no-store");
    assertThat(stub.requests("POST", "/admin/v1/tenants/contoso/credentials")).hasSize(1);
  }

  @Test
  void revokeAsksFirstThenRevokesTheSessionsTenantsCredential() {
    String session = login("contoso");
    Csrf csrf = csrf(session);
    Response ask =
        given()
            .cookie(COOKIE, session)
            .cookie(CSRF_COOKIE, csrf.cookie())
            .formParam("csrf-token", csrf.token())
            .post("/console/tenant/credentials/cred1/revoke");
    assertThat(ask.statusCode()).isEqualTo(200);
    assertThat(ask.asString())
        .contains("Revoke Secret Token cred1?")
        .contains("name=\"confirm\" value=\"yes\"")
        .contains("name=\"csrf-token\" value=\"" + csrf.token() + "\"");
    assertThat(stub.requests("POST", "/admin/v1/tenants/")).isEmpty();

    stub.answer(
        "POST",
        "/admin/v1/tenants/contoso/credentials/cred1/revoke",
        200,
        "{\"id\":\"cred1\",\"status\":\"REVOKED\"}");
    Response done =
        given()
            .redirects()
            .follow(false)
            .cookie(COOKIE, session)
            .cookie(CSRF_COOKIE, csrf.cookie())
            .formParam("csrf-token", csrf.token())
            .formParam("confirm", "yes")
            .post("/console/tenant/credentials/cred1/revoke");
    assertThat(done.statusCode()).isEqualTo(303);
    assertThat(done.header("Location")).isEqualTo("/console/tenant/setup");
    assertThat(stub.requests("POST", "/admin/v1/tenants/contoso/credentials/cred1/revoke"))
        .hasSize(1);
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() {
    String session = login("contoso");
    for (Response reply :
        List.of(
            given().cookie(COOKIE, session).get("/console/tenant/setup"),
            given().cookie(COOKIE, session).get("/console/tenant/log"),
            given().get("/console/tenant/log"),
            given().get("/console/no-such-page"),
            given().get("/console/static/console.css"))) {
      assertThat(reply.header("Content-Security-Policy")).isEqualTo(CSP);
      assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(reply.header("Referrer-Policy")).isEqualTo("no-referrer");
      assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
    }
    String page = given().cookie(COOKIE, session).get("/console/tenant/setup").asString();
    assertThat(page)
        .doesNotContain("<script>")
        .doesNotContain("style=")
        .doesNotContainPattern(" on[a-z]+=");
  }

  @Test
  void theLogFiltersBecomeTheAuditQueryAndFailuresSayWhatToDo() {
    String session = login("contoso");
    stub.answer(
        "GET",
        "/audit/v1/tenants/contoso/operations",
        200,
        "{\"items\":[{\"commandId\":\"c1\",\"receivedAt\":\"2026-12-04T10:00:00Z\","
            + "\"operation\":\"create\",\"resourceType\":\"User\",\"target\":{\"userName\":"
            + "\"alice@contoso.example\"},\"status\":\"failure\",\"httpStatus\":409,"
            + "\"scimType\":\"uniqueness\",\"reason\":\"a user with this userName already"
            + " exists\",\"recommendedAction\":\"Match on userName in the mapping\","
            + "\"source\":\"scim\"},{\"commandId\":\"c2\",\"receivedAt\":"
            + "\"2026-12-04T09:59:00Z\",\"operation\":\"update\",\"resourceType\":\"User\","
            + "\"target\":{\"userName\":\"bob@contoso.example\"},\"status\":\"success\","
            + "\"httpStatus\":200,\"source\":\"graph\"}],"
            + "\"nextCursor\":\"MjAyNi0xMi0wNFQxMDowMDowMFp8YzE\"}");
    stub.answer(
        "GET",
        "/audit/v1/tenants/contoso/summary",
        200,
        "{\"total\":10,\"byStatus\":{\"success\":5,\"failure\":5},\"topFailureReasons\":[],"
            + "\"failureRate\":0.5,\"quarantineThreshold\":0.4,\"quarantineRisk\":true}");
    Response page =
        given()
            .cookie(COOKIE, session)
            .queryParam("user", "alice@contoso.example")
            .queryParam("status", "failure")
            .queryParam("from", "2026-12-04T09:30")
            .get("/console/tenant/log");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.asString())
        .contains("alice@contoso.example")
        .contains("already exists")
        .contains("Recommended action: Match on userName in the mapping")
        .as("each entry says which path it came by")
        .contains("via SCIM")
        .contains("via Microsoft Graph sync")
        .contains("50 %")
        .contains("40 %")
        .contains("at or above the quarantine threshold")
        .contains("cursor=MjAyNi0xMi0wNFQxMDowMDowMFp8YzE");
    Recorded list = stub.requests("GET", "/audit/v1/tenants/contoso/operations").get(0);
    assertThat(list.query())
        .contains("target=alice%40contoso.example")
        .contains("resourceType=User")
        .contains("status=failure")
        .contains("from=2026-12-04T09%3A30%3A00Z")
        .contains("limit=50");

    given().cookie(COOKIE, session).queryParam("group", "Sales").get("/console/tenant/log");
    assertThat(stub.requests("GET", "/audit/v1/tenants/contoso/operations").get(1).query())
        .contains("target=Sales")
        .contains("resourceType=Group");
  }

  @Test
  void badFiltersGetAPlainFourHundred() {
    String session = login("contoso");
    stub.reset();
    for (String query :
        List.of(
            "user=a&group=b",
            "status=broken",
            "from=yesterday",
            "from=2026-12-04T10:00&to=2026-12-04T09:00",
            "cursor=%3Cscript%3E")) {
      Response reply = given().cookie(COOKIE, session).get("/console/tenant/log?" + query);
      assertThat(reply.statusCode()).as(query).isEqualTo(400);
      assertThat(reply.asString())
          .as(query)
          .contains("cannot be answered")
          .doesNotContain("<script>");
    }
    assertThat(stub.requests()).isEmpty();
    assertThat(
            given().cookie(COOKIE, session).get("/console/tenant/setup?client=other").statusCode())
        .isEqualTo(400);
  }

  @Test
  void theCsvIsTheAuditExportWithTheSameFilters() {
    String session = login("contoso");
    String csv = "commandId,receivedAt\nc1,2026-12-04T10:00:00Z\n";
    stub.answer("GET", "/audit/v1/tenants/contoso/operations/export", 200, "text/csv", csv);
    Response reply =
        given()
            .cookie(COOKIE, session)
            .queryParam("status", "failure")
            .get("/console/tenant/log.csv");
    assertThat(reply.statusCode()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("text/csv");
    assertThat(reply.header("Content-Disposition")).contains("attachment");
    assertThat(reply.asString()).isEqualTo(csv);
    assertThat(stub.requests("GET", "/audit/v1/tenants/contoso/operations/export").get(0).query())
        .isEqualTo("format=csv&status=failure");
  }

  @Test
  void anUpstreamThatFailsGivesTheConsolesOwnServiceUnavailablePage() {
    String session = login("contoso");
    stub.answer(
        "GET", "/audit/v1/tenants/contoso/summary", 500, "{\"detail\":\"secret internals\"}");
    Response reply = given().cookie(COOKIE, session).get("/console/tenant/setup");
    assertThat(reply.statusCode()).isEqualTo(503);
    assertThat(reply.asString()).contains("not available").doesNotContain("secret internals");
  }

  @Test
  void logoutClearsTheCookie() {
    String session = login("contoso");
    Csrf csrf = csrf(session);
    Response reply =
        given()
            .redirects()
            .follow(false)
            .cookie(COOKIE, session)
            .cookie(CSRF_COOKIE, csrf.cookie())
            .formParam("csrf-token", csrf.token())
            .post("/console/logout");
    assertThat(reply.statusCode()).isEqualTo(303);
    assertThat(setCookie(reply, COOKIE))
        .startsWith(COOKIE + "=;")
        .contains("Max-Age=0")
        .contains("Expires=Thu, 1 Jan 1970 00:00:00 GMT")
        .contains("Path=/;");
  }

  @Test
  void metricsNeverCarryASetupLinksSecret() {
    login("contoso");
    String scraped = given().get(metrics).asString();
    assertThat(scraped).contains("http_server_requests").doesNotContain("phub_setup_");
  }

  @Test
  void withoutAnIdentityProviderTheOperatorPagesAreNotConfigured() {
    Response reply = given().redirects().follow(false).get("/console/operator");
    assertThat(reply.statusCode()).isEqualTo(404);
    assertThat(reply.asString()).contains("The operator console is not configured");
    assertThat(stub.requests()).isEmpty();
  }
}
