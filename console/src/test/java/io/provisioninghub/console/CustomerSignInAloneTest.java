package io.provisioninghub.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The customer sign-in where the operator pages are off (no default OIDC tenant): the dynamic
 * tenant of the customer's identity provider works on its own, the operator pages stay 404.
 */
@QuarkusTest
@QuarkusTestResource(value = CustomerSignInAloneTestResource.class, restrictToAnnotatedClass = true)
class CustomerSignInAloneTest {

  @TestHTTPResource("/")
  URL console;

  @Test
  void aCustomerSignsInWhileTheOperatorPagesAreOff() throws Exception {
    UpstreamStub stub = ConsoleTestResource.stub;
    stub.reset();
    stub.answer(
        "GET",
        "/admin/v1/tenants/tenant-a/console-sign-in/client",
        200,
        "{\"tenantId\":\"tenant-a\",\"displayName\":\"Contoso A\",\"issuer\":\""
            + CustomerSignInAloneTestResource.idp.issuer()
            + "\",\"clientId\":\""
            + CustomerSignInAloneTestResource.CLIENT
            + "\",\"clientSecret\":\""
            + CustomerSignInAloneTestResource.SECRET
            + "\",\"requiredClaim\":null}");
    CookieManager jar = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    HttpClient browser =
        HttpClient.newBuilder()
            .cookieHandler(jar)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    HttpResponse<String> start = get(browser, "/console/tenant-sign-in/tenant-a");
    assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
    URI authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
    HttpResponse<String> login =
        browser.send(
            HttpRequest.newBuilder(
                    URI.create(CustomerSignInAloneTestResource.idp.issuer() + "/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        authorize.getRawQuery()
                            + "&username="
                            + URLEncoder.encode("alice", StandardCharsets.UTF_8)
                            + "&roles="))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
    URI callback = URI.create(login.headers().firstValue("Location").orElseThrow());

    HttpResponse<String> back = get(browser, callback.getRawPath() + "?" + callback.getRawQuery());
    assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
    HttpResponse<String> log = get(browser, "/console/tenant/log");
    assertThat(log.statusCode()).isEqualTo(200);
    assertThat(log.body()).contains("Provisioning log of Contoso A");
    assertThat(get(browser, "/console/operator").statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> get(HttpClient browser, String pathAndQuery) throws Exception {
    return browser.send(
        HttpRequest.newBuilder(console.toURI().resolve(pathAndQuery)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
