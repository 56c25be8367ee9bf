package io.provisioninghub.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.testkit.LocalOidc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A customer's admin signs in with its organisation's own identity provider (a real local OIDC
 * provider per customer), over HTTP as a browser would with a cookie jar: the code flow through the
 * provider's login form, the required claim, the session scoped to that tenant only, and the
 * refusals (unconfigured tenant, replayed code at another tenant's path, operator pages).
 */
@QuarkusTest
@QuarkusTestResource(value = CustomerSignInTestResource.class, restrictToAnnotatedClass = true)
class CustomerSignInTest {

  @TestHTTPResource("/")
  URL console;

  UpstreamStub stub;
  CookieManager jar;
  HttpClient browser;

  @BeforeEach
  void setUp() {
    stub = OperatorTestResource.stub;
    stub.reset();
    settings(
        "tenant-a",
        "Contoso A",
        CustomerSignInTestResource.idpA,
        CustomerSignInTestResource.A_CLIENT,
        CustomerSignInTestResource.A_SECRET,
        "{\"name\":\"roles\",\"values\":[\"Provisioning.Admin\"]}");
    settings(
        "tenant-c",
        "Fabrikam C",
        CustomerSignInTestResource.idpC,
        CustomerSignInTestResource.C_CLIENT,
        CustomerSignInTestResource.C_SECRET,
        "null");
    stub.answer(
        "GET",
        "/admin/v1/tenants/tenant-b/console-sign-in/client",
        404,
        "{\"type\":\"urn:provisioninghub:problem:console-sign-in-not-configured\",\"status\":404}");
    jar = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    browser =
        HttpClient.newBuilder()
            .cookieHandler(jar)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Test
  void anAdminSignsInAtItsOwnIdentityProviderAndSeesOnlyItsTenantsLog() throws Exception {
    HttpResponse<String> back =
        signIn("tenant-a", CustomerSignInTestResource.idpA, "alice", "Provisioning.Admin");
    // A page that goes on to the log (not a redirect: the SameSite=Strict session cookie would not
    // be sent on a redirect chain started by the identity provider's site).
    assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
    assertThat(back.body())
        .contains("Signed in")
        .contains("url=/console/tenant/log")
        .contains("href=\"/console/tenant/log\"");
    assertThat(back.headers().firstValue("Location")).isEmpty();
    assertThat(sessionCookie()).isNotNull();
    // The OIDC session only carried the sign-in: none is left in the browser.
    assertThat(jar.getCookieStore().getCookies())
        .noneMatch(c -> c.getName().startsWith("q_session") && !c.getValue().isEmpty());

    stub.reset();
    HttpResponse<String> log = get("/console/tenant/log");
    assertThat(log.statusCode()).isEqualTo(200);
    assertThat(log.body()).contains("Provisioning log of Contoso A");
    assertThat(stub.requests()).isNotEmpty();
    assertThat(stub.requests())
        .allSatisfy(r -> assertThat(r.path()).startsWith("/audit/v1/tenants/tenant-a/"));
    JwtClaims support =
        TestJwts.verified(
            stub.requests().get(0).bearer(), ConsoleTestResource.SUPPORT_KEYS.getPublic());
    assertThat(support.getStringListClaimValue("tenants")).containsExactly("tenant-a");
    assertThat(support.getSubject()).isEqualTo("console:customer:tenant-a");

    // The registry was asked for the settings with the console's own admin token.
    // (Every request of the sign-in went through the stub before the reset above.)
  }

  @Test
  void theSettingsAreReadWithTheConsolesOwnAdminToken() throws Exception {
    signIn("tenant-c", CustomerSignInTestResource.idpC, "carol", "");
    List<UpstreamStub.Recorded> reads =
        stub.requests("GET", "/admin/v1/tenants/tenant-c/console-sign-in/client");
    assertThat(reads).isNotEmpty();
    JwtClaims admin =
        TestJwts.verified(reads.get(0).bearer(), ConsoleTestResource.ADMIN_KEYS.getPublic());
    assertThat(admin.getSubject()).isEqualTo("console:sign-in");
    // C requires no claim: a user without roles gets in, to C's log only.
    HttpResponse<String> log = get("/console/tenant/log");
    assertThat(log.statusCode()).isEqualTo(200);
    assertThat(log.body()).contains("Fabrikam C");
  }

  @Test
  void withoutTheRequiredClaimTheAdminGetsA403PageAndNoSession() throws Exception {
    HttpResponse<String> back =
        signIn("tenant-a", CustomerSignInTestResource.idpA, "bob", "Reader");
    assertThat(back.statusCode()).isEqualTo(403);
    assertThat(back.body())
        .contains("Your account may not use this console")
        .contains("&quot;roles&quot;")
        .contains("Provisioning.Admin");
    assertThat(sessionCookie()).isNull();
    assertThat(get("/console/tenant/log").statusCode()).isEqualTo(401);
  }

  @Test
  void aTenantWithoutSignInGetsAPageAskingForASetupLink() throws Exception {
    HttpResponse<String> page = get("/console/tenant-sign-in/tenant-b");
    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.body()).contains("not set up").contains("setup link");
    assertThat(get("/console/tenant-sign-in/Not_A_Tenant").statusCode()).isEqualTo(404);
  }

  @Test
  void theSignInFormGoesOnToTheTenantsSignInWithoutAFormRedirect() throws Exception {
    HttpResponse<String> form = get("/console/sign-in");
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(form.body()).contains("method=\"get\"").contains("action=\"/console/sign-in\"");
    HttpResponse<String> next = get("/console/sign-in?tenant=Tenant-A");
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(next.body())
        .contains("url=/console/tenant-sign-in/tenant-a")
        .contains("href=\"/console/tenant-sign-in/tenant-a\"");
    assertThat(get("/console/sign-in?tenant=%3Cscript%3E").statusCode()).isEqualTo(400);
  }

  @Test
  void aCodeFromOneTenantsFlowIsRefusedAtAnotherTenantsSignIn() throws Exception {
    URI callback =
        callback("tenant-a", CustomerSignInTestResource.idpA, "alice", "Provisioning.Admin");
    HttpResponse<String> replayed =
        get("/console/tenant-sign-in/tenant-c?" + callback.getRawQuery());
    assertThat(replayed.statusCode()).isNotIn(200, 303);
    assertThat(sessionCookie()).isNull();
    assertThat(get("/console/tenant/log").statusCode()).isEqualTo(401);

    // The same code at its own tenant's path still works once, and only once.
    HttpResponse<String> own = get(callback.getRawPath() + "?" + callback.getRawQuery());
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(sessionCookie()).isNotNull();
    jar.getCookieStore().removeAll();
    HttpResponse<String> again = get(callback.getRawPath() + "?" + callback.getRawQuery());
    assertThat(again.statusCode()).isNotIn(200, 303);
    assertThat(sessionCookie()).isNull();
  }

  @Test
  void theCustomerSessionOpensNoOperatorPageAndAnOperatorLoginNoCustomerPage() throws Exception {
    signIn("tenant-a", CustomerSignInTestResource.idpA, "alice", "Provisioning.Admin");
    assertThat(sessionCookie()).isNotNull();
    HttpResponse<String> operatorPage = get("/console/operator");
    assertThat(operatorPage.statusCode()).isEqualTo(302);
    assertThat(operatorPage.headers().firstValue("Location").orElseThrow())
        .startsWith(OperatorTestResource.oidc.issuer() + "/authorize");

    Map<String, String> operator = OperatorLogin.as("olivia", LocalOidc.DEFAULT_ROLE);
    given()
        .redirects()
        .follow(false)
        .cookies(operator)
        .get("/console/tenant/log")
        .then()
        .statusCode(401);
  }

  @Test
  void theOperatorsTenantPageShowsTheSignInAndTheAddressToHandOut() {
    stub.answer("GET", "/admin/v1/tenants/tenant-a", 200, tenant("tenant-a", "Contoso A"));
    stub.answer("GET", "/admin/v1/tenants/tenant-b", 200, tenant("tenant-b", "Bravo B"));
    stub.answer(
        "GET",
        "/admin/v1/tenants/tenant-a/console-sign-in",
        200,
        "{\"tenantId\":\"tenant-a\",\"issuer\":\"https://login.example.test/a/v2.0\","
            + "\"clientId\":\"client-of-a\",\"clientSecretSet\":true,"
            + "\"requiredClaim\":{\"name\":\"roles\",\"values\":[\"Provisioning.Admin\"]}}");
    Map<String, String> operator = OperatorLogin.as("olivia", LocalOidc.DEFAULT_ROLE);
    String base = console.toString().replaceAll("/+$", "");

    String configured =
        given()
            .cookies(operator)
            .get("/console/operator/tenant?id=tenant-a")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(configured)
        .contains("Customer sign-in")
        .contains(base + "/console/tenant-sign-in/tenant-a")
        .contains("https://login.example.test/a/v2.0")
        .contains("client-of-a")
        .contains("roles contains one of: Provisioning.Admin");
    String unconfigured =
        given()
            .cookies(operator)
            .get("/console/operator/tenant?id=tenant-b")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(unconfigured)
        .contains("Not configured")
        .contains(base + "/console/tenant-sign-in/tenant-b");
  }

  private static String tenant(String id, String name) {
    return "{\"id\":\""
        + id
        + "\",\"displayName\":\""
        + name
        + "\",\"status\":\"ACTIVE\",\"rateLimit\":{\"requestsPerSecond\":50,\"burst\":100}}";
  }

  /** Runs tenant T's sign-in up to the identity provider's redirect back: the callback address. */
  private URI callback(String tenant, LocalOidc idp, String user, String roles) throws Exception {
    HttpResponse<String> start = get("/console/tenant-sign-in/" + tenant);
    assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
    String authorize = start.headers().firstValue("Location").orElseThrow();
    assertThat(authorize).startsWith(idp.issuer() + "/authorize?");
    Map<String, String> query = OperatorLogin.parse(URI.create(authorize).getRawQuery());
    assertThat(query).containsKeys("state", "nonce", "code_challenge");
    assertThat(query.get("redirect_uri")).endsWith("/console/tenant-sign-in/" + tenant);

    StringBuilder form = new StringBuilder();
    for (Map.Entry<String, String> e : query.entrySet()) {
      form.append(OperatorLogin.encode(e.getKey()))
          .append('=')
          .append(OperatorLogin.encode(e.getValue()))
          .append('&');
    }
    form.append("username=")
        .append(OperatorLogin.encode(user))
        .append("&roles=")
        .append(OperatorLogin.encode(roles));
    HttpResponse<String> login =
        browser.send(
            HttpRequest.newBuilder(URI.create(idp.issuer() + "/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
    return URI.create(login.headers().firstValue("Location").orElseThrow());
  }

  private HttpResponse<String> signIn(String tenant, LocalOidc idp, String user, String roles)
      throws Exception {
    URI callback = callback(tenant, idp, user, roles);
    return get(callback.getRawPath() + "?" + callback.getRawQuery());
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return browser.send(
        HttpRequest.newBuilder(console.toURI().resolve(pathAndQuery)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpCookie sessionCookie() {
    return jar.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals("phub-console") && !c.getValue().isEmpty())
        .findFirst()
        .orElse(null);
  }

  private void settings(
      String tenant, String name, LocalOidc idp, String client, String secret, String claim) {
    stub.answer(
        "GET",
        "/admin/v1/tenants/" + tenant + "/console-sign-in/client",
        200,
        "{\"tenantId\":\""
            + tenant
            + "\",\"displayName\":\""
            + name
            + "\",\"issuer\":\""
            + idp.issuer()
            + "\",\"clientId\":\""
            + client
            + "\",\"clientSecret\":\""
            + secret
            + "\",\"requiredClaim\":"
            + claim
            + "}");
  }
}
