package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.samljit.TestIdp;
import io.provisioninghub.testkit.ServiceProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * SAML just-in-time provisioning through the real pipeline: the saml-jit jar against the gateway,
 * processor and audit log this JVM started. A first sign-in (an assertion signed by a test IdP,
 * shaped like Entra ID's) creates the user through the gateway as source saml-jit; a later one with
 * a changed surname and email updates it with the PATCH paths saml-jit writes; a replayed assertion
 * is refused and changes nothing; the audit log names the source.
 */
class SamlJitIT {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void signInsCreateThenUpdateTheUserThroughTheGatewayAsSourceSamlJit() throws Exception {
    SystemUnderTest sut = SystemUnderTest.get();
    Assumptions.assumeTrue(sut.ownsSystem(), "needs the services this JVM started");
    ServiceProcess samlJit = sut.samlJit();
    samlJit.awaitReady(Duration.ofSeconds(120));
    ServiceProcess audit = sut.audit();
    audit.awaitReady(Duration.ofSeconds(120));
    String tenant = "tenant-a-" + sut.suffix;
    TestIdp idp = TestIdp.generate("system-tests-idp");

    SamlSignIns saml = new SamlSignIns(samlJit.baseUrl(), SystemUnderTest.SAML_JIT_PUBLIC_BASE);
    HttpResponse<String> set = saml.registerIdp(tenant, sut.adminToken(), idp);
    assertThat(set.statusCode()).as(set.body()).isIn(200, 201);

    String userName = "jit-" + UUID.randomUUID().toString().substring(0, 8) + "@contoso.example";
    String objectId = UUID.randomUUID().toString();
    TestIdp.Response first = saml.entraResponse(tenant, userName, objectId, "Vance", userName);
    HttpResponse<String> signedIn = saml.signIn(tenant, idp.signed(first));
    assertThat(signedIn.statusCode()).as(signedIn.body()).isIn(200, 303);

    JsonNode created = user(sut, userName);
    assertThat(created.get("externalId").asText()).isEqualTo(objectId);
    assertThat(created.at("/name/familyName").asText()).isEqualTo("Vance");
    assertThat(created.get("active").asBoolean()).isTrue();
    assertThat(created.toString()).contains(userName);

    // The same assertion again: refused as a replay, nothing changes.
    HttpResponse<String> replay = saml.signIn(tenant, idp.signed(first));
    assertThat(replay.statusCode()).as(replay.body()).isGreaterThanOrEqualTo(400).isLessThan(500);

    // A later sign-in with a new surname and work email: the user is updated in place.
    String newMail =
        "adele.smith-" + UUID.randomUUID().toString().substring(0, 6) + "@contoso.example";
    TestIdp.Response later = saml.entraResponse(tenant, userName, objectId, "Smith", newMail);
    HttpResponse<String> again = saml.signIn(tenant, idp.signed(later));
    assertThat(again.statusCode()).as(again.body()).isIn(200, 303);
    JsonNode updated = user(sut, userName);
    assertThat(updated.get("id").asText()).isEqualTo(created.get("id").asText());
    assertThat(updated.at("/name/familyName").asText()).isEqualTo("Smith");
    assertThat(updated.get("emails").toString()).contains(newMail).contains("work");

    // The audit log names the path both writes came by.
    JsonNode ops =
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    auditGet(
                        sut,
                        audit,
                        "/audit/v1/tenants/"
                            + tenant
                            + "/operations?target="
                            + URLEncoder.encode(userName, StandardCharsets.UTF_8)),
                items ->
                    items.size() >= 2
                        && java.util.stream.StreamSupport.stream(items.spliterator(), false)
                            .noneMatch(op -> "pending".equals(op.path("status").asText())));
    for (JsonNode op : ops) {
      assertThat(op.get("source").asText()).as(op.toString()).isEqualTo("saml-jit");
      assertThat(op.get("status").asText()).as(op.toString()).isEqualTo("success");
    }

    // A tenant the operator suspended: its users' sign-ins are refused for that reason (403, not
    // an outage) and create nothing; once resumed they are provisioned again.
    String paused = "saml-paused-" + sut.suffix;
    assertThat(sut.registry.createTenant(paused).status()).isEqualTo(201);
    Scim pausedScim = sut.tenantA.as(sut.issue(paused));
    assertThat(saml.registerIdp(paused, sut.adminToken(), idp).statusCode()).isIn(200, 201);
    assertThat(sut.registry.post("/tenants/" + paused + "/suspend", "").status()).isEqualTo(200);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> pausedScim.get("/Users?count=1").status() == 403);
    String pausedUser =
        "paused-" + UUID.randomUUID().toString().substring(0, 8) + "@contoso.example";
    java.util.concurrent.Callable<HttpResponse<String>> signIn =
        () ->
            saml.signIn(
                paused,
                idp.signed(
                    saml.entraResponse(
                        paused, pausedUser, UUID.randomUUID().toString(), "Paused", pausedUser)));
    HttpResponse<String> refused = signIn.call();
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(refused.body()).contains("tenant_not_active").contains("suspended");
    assertThat(sut.registry.post("/tenants/" + paused + "/resume", "").status()).isEqualTo(200);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> pausedScim.get("/Users?count=1").status() == 200);
    assertThat(pausedScim.get("/Users?count=1").json().get("totalResults").asInt()).isZero();
    HttpResponse<String> resumed = signIn.call();
    assertThat(resumed.statusCode()).as(resumed.body()).isIn(200, 303);
    assertThat(pausedScim.get("/Users?count=1").json().get("totalResults").asInt()).isOne();
  }

  private static JsonNode user(SystemUnderTest sut, String userName) {
    Scim.Reply found = sut.tenantA.filter("Users", "userName eq \"" + userName + "\"", null);
    assertThat(found.status()).as(found.toString()).isEqualTo(200);
    JsonNode user = found.json().path("Resources").path(0);
    assertThat(user.isMissingNode()).as(found.toString()).isFalse();
    return user;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode auditGet(SystemUnderTest sut, ServiceProcess audit, String path)
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(audit.baseUrl() + path))
                .header("Authorization", "Bearer " + sut.supportToken())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return ContractJson.mapper().readTree(response.body()).path("items");
  }
}
