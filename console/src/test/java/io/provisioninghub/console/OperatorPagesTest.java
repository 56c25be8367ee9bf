package io.provisioninghub.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.console.UpstreamStub.Recorded;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator pages with a real OIDC login (testkit's LocalOidc, through its login form) against a
 * recording stand-in for the registry and the audit log: the role check, the operator named in
 * every service token, CSRF, confirmations, headers, and that the customer pages are untouched.
 */
@QuarkusTest
@QuarkusTestResource(value = OperatorTestResource.class, restrictToAnnotatedClass = true)
class OperatorPagesTest {

  static final String TENANTS =
      "[{\"id\":\"contoso\",\"displayName\":\"Contoso\",\"status\":\"ACTIVE\","
          + "\"rateLimit\":{\"requestsPerSecond\":50,\"burst\":100}},"
          + "{\"id\":\"fabrikam\",\"displayName\":\"Fabrikam\",\"status\":\"SUSPENDED\","
          + "\"rateLimit\":{\"requestsPerSecond\":10,\"burst\":20}}]";
  static final String CONTOSO =
      "{\"id\":\"contoso\",\"displayName\":\"Contoso\",\"status\":\"ACTIVE\","
          + "\"rateLimit\":{\"requestsPerSecond\":50,\"burst\":100}}";
  static final String CREDENTIALS =
      "[{\"id\":\"c1\",\"status\":\"ACTIVE\",\"createdAt\":\"2026-12-01T10:00:00Z\","
          + "\"lastUsedAt\":\"2026-12-04T09:00:00Z\"}]";

  UpstreamStub stub;

  @BeforeEach
  void reset() {
    stub = OperatorTestResource.stub;
    stub.reset();
    stub.answer("GET", "/admin/v1/tenants", 200, TENANTS);
    stub.answer("GET", "/admin/v1/tenants/contoso", 200, CONTOSO);
    stub.answer("GET", "/admin/v1/tenants/contoso/credentials", 200, CREDENTIALS);
    stub.answer(
        "GET",
        "/audit/v1/tenants/contoso/summary",
        200,
        "{\"total\":120,\"byStatus\":{\"success\":60,\"failure\":50,\"rejected\":10},"
            + "\"failureRate\":0.5,\"quarantineThreshold\":0.4,\"quarantineRisk\":true}");
    stub.answer("GET", "/audit/v1/access-log", 200, "{\"items\":[],\"nextBefore\":null}");
  }

  static Map<String, String> operator() {
    return OperatorLogin.as("alice@example.test", "provisioning-admin");
  }

  /** A page's CSRF form token, with the cookies to send it back with. */
  static String csrf(Response page, Map<String, String> cookies) {
    Matcher m = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"").matcher(page.asString());
    assertThat(m.find()).as("a CSRF field in the page's forms").isTrue();
    if (page.cookie(ConsolePagesTest.CSRF_COOKIE) != null) {
      cookies.put(ConsolePagesTest.CSRF_COOKIE, page.cookie(ConsolePagesTest.CSRF_COOKIE));
    }
    return m.group(1);
  }

  static JwtClaims admin(Recorded r) {
    return TestJwts.verified(r.bearer(), ConsoleTestResource.ADMIN_KEYS.getPublic());
  }

  static JwtClaims support(Recorded r) {
    return TestJwts.verified(r.bearer(), ConsoleTestResource.SUPPORT_KEYS.getPublic());
  }

  @Test
  void anOperatorLogsInAndSeesEveryTenantWithItsLastHour() throws Exception {
    Map<String, String> cookies = operator();
    Response page = given().cookies(cookies).get("/console/operator");

    assertThat(page.statusCode()).as(page.asString()).isEqualTo(200);
    // Forms may also go on to the identity provider: the logout redirects to its end session.
    assertThat(page.header("Content-Security-Policy"))
        .isEqualTo(
            ConsolePagesTest.CSP.replace(
                "form-action 'self'", "form-action 'self' " + OperatorTestResource.oidc.issuer()));
    assertThat(page.header("Cache-Control")).isEqualTo("no-store");
    String html = page.asString();
    assertThat(html)
        .contains("Signed in as <strong>alice@example.test</strong>")
        .contains("href=\"/console/operator/tenant?id=contoso\"")
        .contains("suspended")
        .contains("50 %")
        .contains("at risk")
        .contains("https://grafana.example.test/d/phub-overview")
        .contains("https://grafana.example.test/d/phub-tenants")
        .doesNotContain("<script>")
        .doesNotContain("style=");

    JwtClaims admin = admin(stub.requests("GET", "/admin/v1/tenants").get(0));
    assertThat(admin.getSubject()).isEqualTo("console:operator:alice@example.test");
    assertThat(admin.getClaimValue("upn")).isEqualTo("console:operator:alice@example.test");
    Recorded summary = stub.requests("GET", "/audit/v1/tenants/contoso/summary").get(0);
    assertThat(support(summary).getClaimValue("tenants")).isEqualTo(List.of("contoso"));
    assertThat(support(summary).getSubject()).isEqualTo("console:operator:alice@example.test");
    assertThat(summary.query()).startsWith("from=");
  }

  @Test
  void aSignedInUserWithoutTheRoleGetsA403Page() {
    Map<String, String> cookies = OperatorLogin.as("mallory", "support");
    Response page = given().cookies(cookies).get("/console/operator");

    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(page.asString()).contains("not as an operator");
    assertThat(stub.requests()).as("nothing asked upstream").isEmpty();
  }

  @Test
  void theCustomerPagesDoNotAskForAnOperatorLogin() {
    Response page = given().redirects().follow(false).get("/console/tenant/setup");
    assertThat(page.statusCode()).isEqualTo(401);
    assertThat(page.asString()).contains("You are not signed in");
    assertThat(page.headers().getValues("Set-Cookie")).noneMatch(c -> c.startsWith("q_"));
  }

  @Test
  void anOperatorRotatesACredentialWithTheFormsCsrfTokenAndSeesTheSuccessorOnce() throws Exception {
    Map<String, String> cookies = operator();
    Response tenant = given().cookies(cookies).get("/console/operator/tenant?id=contoso");
    assertThat(tenant.statusCode()).as(tenant.asString()).isEqualTo(200);
    assertThat(tenant.asString())
        .contains("<code>c1</code>")
        .contains("value=\"50\"")
        .contains("https://grafana.example.test/d/phub-tenants?var-tenant=contoso")
        .contains("<label for=\"rps\">");
    String token = csrf(tenant, cookies);
    stub.answer(
        "POST",
        "/admin/v1/tenants/contoso/credentials/c1/rotate",
        201,
        "{\"id\":\"c2\",\"secret\":\"phub_scim_SUCCESSOR\",\"status\":\"ACTIVE\"}");

    Response refused =
        given()
            .cookies(cookies)
            .formParam("id", "contoso")
            .formParam("credential", "c1")
            .post("/console/operator/tenant/credentials/rotate");
    assertThat(refused.statusCode()).as("no CSRF token").isEqualTo(400);
    assertThat(stub.requests("POST", "/admin/v1/")).isEmpty();

    Response rotated =
        given()
            .cookies(cookies)
            .formParam("csrf-token", token)
            .formParam("id", "contoso")
            .formParam("credential", "c1")
            .formParam("oldValidForHours", "24")
            .post("/console/operator/tenant/credentials/rotate");
    assertThat(rotated.statusCode()).as(rotated.asString()).isEqualTo(200);
    assertThat(rotated.asString())
        .contains("phub_scim_SUCCESSOR")
        .contains("shown only this once")
        .contains("24 hours");
    Recorded rotate =
        stub.requests("POST", "/admin/v1/tenants/contoso/credentials/c1/rotate").get(0);
    assertThat(rotate.body()).contains("\"oldValidForSeconds\":86400");
    assertThat(admin(rotate).getSubject()).isEqualTo("console:operator:alice@example.test");

    // 0 hours: the old one stops at once (a leaked secret), and the page says so.
    Response now =
        given()
            .cookies(cookies)
            .formParam("csrf-token", token)
            .formParam("id", "contoso")
            .formParam("credential", "c1")
            .formParam("oldValidForHours", "0")
            .post("/console/operator/tenant/credentials/rotate");
    assertThat(now.statusCode()).as(now.asString()).isEqualTo(200);
    assertThat(now.asString()).contains("no longer works").doesNotContain("keeps working");
    assertThat(
            stub.requests("POST", "/admin/v1/tenants/contoso/credentials/c1/rotate").get(1).body())
        .contains("\"oldValidForSeconds\":0");
  }

  @Test
  void revokeAndSuspendAskFirstAndTheRateLimitIsPatched() throws Exception {
    Map<String, String> cookies = operator();
    String token =
        csrf(given().cookies(cookies).get("/console/operator/tenant?id=contoso"), cookies);
    stub.answer("POST", "/admin/v1/tenants/contoso/credentials/c1/revoke", 200, "{\"id\":\"c1\"}");
    stub.answer("POST", "/admin/v1/tenants/contoso/suspend", 200, CONTOSO);
    stub.answer("PATCH", "/admin/v1/tenants/contoso", 200, CONTOSO);

    Response ask =
        given()
            .cookies(cookies)
            .formParam("csrf-token", token)
            .formParam("id", "contoso")
            .formParam("credential", "c1")
            .post("/console/operator/tenant/credentials/revoke");
    assertThat(ask.statusCode()).isEqualTo(200);
    assertThat(ask.asString()).contains("Revoke credential c1?").contains("name=\"confirm\"");
    Response suspendAsk =
        given()
            .cookies(cookies)
            .formParam("csrf-token", token)
            .formParam("id", "contoso")
            .post("/console/operator/tenant/suspend");
    assertThat(suspendAsk.asString()).contains("Suspend contoso?");
    assertThat(stub.requests("POST", "/admin/v1/")).as("nothing changed yet").isEmpty();

    Response revoked =
        given()
            .redirects()
            .follow(false)
            .cookies(cookies)
            .formParam("csrf-token", token)
            .formParam("id", "contoso")
            .formParam("credential", "c1")
            .formParam("confirm", "yes")
            .post("/console/operator/tenant/credentials/revoke");
    assertThat(revoked.statusCode()).isEqualTo(303);
    assertThat(revoked.header("Location"))
        .endsWith("/console/operator/tenant?id=contoso&done=revoked");
    assertThat(stub.requests("POST", "/admin/v1/tenants/contoso/credentials/c1/revoke")).hasSize(1);

    Response limited =
        given()
            .redirects()
            .follow(false)
            .cookies(cookies)
            .formParam("csrf-token", token)
            .formParam("id", "contoso")
            .formParam("requestsPerSecond", "75")
            .formParam("burst", "150")
            .post("/console/operator/tenant/rate-limit");
    assertThat(limited.statusCode()).isEqualTo(303);
    assertThat(
            new ObjectMapper()
                .readTree(stub.requests("PATCH", "/admin/v1/tenants/contoso").get(0).body()))
        .as("the patch carries the new limit and nothing else, in any member order")
        .isEqualTo(
            new ObjectMapper()
                .readTree("{\"rateLimit\":{\"requestsPerSecond\":75,\"burst\":150}}"));

    Response bad =
        given()
            .cookies(cookies)
            .formParam("csrf-token", token)
            .formParam("id", "contoso")
            .formParam("requestsPerSecond", "-1")
            .formParam("burst", "x")
            .post("/console/operator/tenant/rate-limit");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(stub.requests("PATCH", "/admin/v1/")).hasSize(1);
  }

  @Test
  void aSearchAcrossTenantsAsksEachTenantWithATokenNamingItAndShowsTheAccessRecord()
      throws Exception {
    Map<String, String> cookies = operator();
    stub.answer(
        "GET",
        "/audit/v1/tenants/contoso/operations",
        200,
        "{\"items\":[{\"commandId\":\"k1\",\"receivedAt\":\"2026-12-04T10:00:00Z\","
            + "\"operation\":\"CREATE\",\"resourceType\":\"User\",\"target\":{\"userName\":"
            + "\"ada@contoso.test\"},\"status\":\"failure\",\"httpStatus\":409,\"reason\":"
            + "\"userName taken\",\"recommendedAction\":\"Match on userName\"}],\"nextCursor\":null}");
    stub.answer(
        "GET",
        "/audit/v1/tenants/fabrikam/operations",
        200,
        "{\"items\":[{\"commandId\":\"k2\",\"receivedAt\":\"2026-12-04T11:00:00Z\","
            + "\"operation\":\"DELETE\",\"resourceType\":\"Group\",\"target\":{\"displayName\":"
            + "\"Sales\"},\"status\":\"failure\",\"httpStatus\":404}],\"nextCursor\":null}");
    stub.answer(
        "GET",
        "/audit/v1/access-log",
        200,
        "{\"items\":[{\"at\":\"2026-12-04T12:00:00Z\",\"subject\":"
            + "\"console:operator:alice@example.test\",\"tenantId\":\"fabrikam\",\"action\":"
            + "\"operations\",\"allowed\":true}],\"nextBefore\":null}");

    Response page =
        given()
            .cookies(cookies)
            .queryParam("tenant", "*")
            .queryParam("status", "failure")
            .get("/console/operator/search");

    assertThat(page.statusCode()).as(page.asString()).isEqualTo(200);
    String html = page.asString();
    assertThat(html).contains("ada@contoso.test").contains("Sales").contains("Match on userName");
    assertThat(html.indexOf("Sales"))
        .as("newest first")
        .isLessThan(html.indexOf("ada@contoso.test"));
    assertThat(html).contains("read tenant <strong>fabrikam</strong>");
    for (String t : List.of("contoso", "fabrikam")) {
      Recorded r = stub.requests("GET", "/audit/v1/tenants/" + t + "/operations").get(0);
      assertThat(support(r).getClaimValue("tenants")).isEqualTo(List.of(t));
      assertThat(support(r).getSubject()).isEqualTo("console:operator:alice@example.test");
      assertThat(r.query()).contains("status=failure");
    }
    Recorded access = stub.requests("GET", "/audit/v1/access-log").get(0);
    assertThat(access.query()).contains("subject=console%3Aoperator%3Aalice%40example.test");
    assertThat(support(access).getClaimValue("groups")).isEqualTo(List.of("support-auditor"));
  }

  @Test
  void logoutEndsTheSessionAtTheIdentityProvider() {
    Map<String, String> cookies = operator();
    Response out =
        given().redirects().follow(false).cookies(cookies).post("/console/operator/logout");
    assertThat(out.statusCode()).isEqualTo(302);
    assertThat(out.header("Location"))
        .startsWith(OperatorTestResource.oidc.issuer() + "/logout")
        .contains("post_logout_redirect_uri=")
        .contains("operator-signed-out");
    assertThat(out.headers().getValues("Set-Cookie"))
        .anyMatch(c -> c.startsWith("q_session") && c.contains("Max-Age=0"));
  }
}
