package io.provisioninghub.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Logs an operator in through the console's OIDC code flow and the local provider's login form,
 * over HTTP as a browser would, and returns the console's cookies.
 */
final class OperatorLogin {

  private OperatorLogin() {}

  /** The cookies of a session for {@code user} with these roles (comma-separated). */
  static Map<String, String> as(String user, String roles) {
    Response start = given().redirects().follow(false).get("/console/operator");
    assertThat(start.statusCode()).as("an unauthenticated operator page redirects").isEqualTo(302);
    String authorize = start.header("Location");
    assertThat(authorize).startsWith(OperatorTestResource.oidc.issuer() + "/authorize?");
    Map<String, String> cookies = new HashMap<>(start.cookies());

    Map<String, String> query = parse(URI.create(authorize).getRawQuery());
    StringBuilder form = new StringBuilder();
    for (String name : new String[] {"client_id", "redirect_uri", "state", "nonce", "scope"}) {
      if (query.get(name) != null) {
        form.append(name).append('=').append(encode(query.get(name))).append('&');
      }
    }
    form.append("username=").append(encode(user)).append("&roles=").append(encode(roles));
    HttpResponse<String> login;
    try {
      login =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(OperatorTestResource.oidc.issuer() + "/authorize"))
                      .header("Content-Type", "application/x-www-form-urlencoded")
                      .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("the local OIDC provider did not answer", e);
    }
    assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
    URI callback = URI.create(login.headers().firstValue("Location").orElseThrow());

    Response back =
        given()
            .redirects()
            .follow(false)
            .cookies(cookies)
            .urlEncodingEnabled(false)
            .get(callback.getRawPath() + "?" + callback.getRawQuery());
    assertThat(back.statusCode()).as(back.asString()).isIn(302, 303);
    cookies.putAll(back.cookies());
    cookies.entrySet().removeIf(e -> e.getValue() == null || e.getValue().isEmpty());
    assertThat(cookies.keySet()).anyMatch(name -> name.startsWith("q_session"));
    return cookies;
  }

  /** The parameters of a query string, decoded, in order. */
  static Map<String, String> parse(String query) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      out.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
