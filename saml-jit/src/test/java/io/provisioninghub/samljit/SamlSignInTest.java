package io.provisioninghub.samljit;

import static io.provisioninghub.samljit.SamlJitSupport.GROUPS;
import static io.provisioninghub.samljit.SamlJitSupport.WS;
import static io.provisioninghub.samljit.SamlJitSupport.post;
import static io.provisioninghub.samljit.SamlJitSupport.put;
import static io.provisioninghub.samljit.SamlJitSupport.response;
import static io.provisioninghub.samljit.SamlJitSupport.settings;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.samljit.replay.SignInStore;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The assertion consumer on the real database with responses signed here by a test IdP: every
 * refusal (each with its reason, nothing written to the gateway), certificate rotation,
 * SP-initiated sign-in, and provisioning through the gateway (played by {@link GatewayStub}) as
 * source saml-jit: create, update, fill-in of a SCIM user, group membership.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(SamlJitTestResource.class)
class SamlSignInTest {

  static final TestIdp IDP = TestIdp.generate("idp-current");
  static final TestIdp NEXT = TestIdp.generate("idp-next");
  static final TestIdp STRANGER = TestIdp.generate("idp-stranger");

  @Inject MeterRegistry meters;
  @Inject SignInStore store;

  static GatewayStub gateway() {
    return SamlJitTestResource.gateway;
  }

  static String tenantTrusting(TestIdp... idps) {
    String tenant = SamlJitSupport.newTenant();
    String[] pems = new String[idps.length];
    for (int i = 0; i < idps.length; i++) {
      pems[i] = idps[i].pem();
    }
    assertThat(put(tenant, settings("", pems)).statusCode()).isEqualTo(201);
    return tenant;
  }

  static String user() {
    return "adele-" + UUID.randomUUID().toString().substring(0, 8) + "@contoso.example";
  }

  private void refused(String tenant, String samlResponse, int status, String reason) {
    int before = gateway().writes(tenant).size();
    double counted = counted(reason);
    Response r = post(tenant, samlResponse);
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
    assertThat(r.jsonPath().getString("reason")).isEqualTo(reason);
    assertThat(gateway().writes(tenant)).hasSize(before);
    assertThat(counted(reason)).isEqualTo(counted + 1);
  }

  private double counted(String reason) {
    var c = meters.find("phub.saml.assertions").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void firstSignInCreatesTheUserAsSourceSamlJitAndRedirects() {
    String tenant = tenantTrusting(IDP);
    String userName = user();
    Response r = post(tenant, IDP.signed(response(tenant, userName)));
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(303);
    assertThat(r.header("Location")).isEqualTo("https://app.vendor.example/home");

    List<GatewayStub.Seen> writes = gateway().writes(tenant);
    assertThat(writes).hasSize(1);
    GatewayStub.Seen create = writes.get(0);
    assertThat(create.method()).isEqualTo("POST");
    assertThat(create.path()).isEqualTo("Users");
    assertThat(create.claims().path("source").asText()).isEqualTo("saml-jit");
    assertThat(create.claims().path("tenant").asText()).isEqualTo(tenant);
    assertThat(create.claims().path("groups").toString()).contains("provisioning-source");
    JsonNode body = create.body();
    assertThat(body.path("userName").asText()).isEqualTo(userName);
    assertThat(body.path("active").asBoolean()).isTrue();
    assertThat(body.path("name").path("givenName").asText()).isEqualTo("Adele");
    assertThat(body.path("name").path("familyName").asText()).isEqualTo("Vance");
    assertThat(body.path("displayName").asText()).isEqualTo("Adele Vance");
    assertThat(body.path("emails").path(0).path("type").asText()).isEqualTo("work");
    assertThat(body.path("emails").path(0).path("value").asText()).isEqualTo(userName);
    assertThat(body.path("externalId").asText()).isNotBlank();
  }

  @Test
  void aGatewayRefusalOrOutageIsAClearRefusalWithoutTheUsersValues() {
    String tenant = tenantTrusting(IDP);
    String refusedUser = "refuse-" + user();
    Response refused = post(tenant, IDP.signed(response(tenant, refusedUser)));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.jsonPath().getString("reason")).isEqualTo("provisioning_refused");
    assertThat(refused.jsonPath().getString("detail"))
        .contains("invalidValue")
        .doesNotContain(refusedUser);
    Response down = post(tenant, IDP.signed(response(tenant, "down-" + user())));
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.jsonPath().getString("reason")).isEqualTo("provisioning_unavailable");
    // The gateway refuses the tenant itself (suspended): a 403 that says so, not an outage.
    Response suspended = post(tenant, IDP.signed(response(tenant, "suspended-" + user())));
    assertThat(suspended.statusCode()).isEqualTo(403);
    assertThat(suspended.jsonPath().getString("reason")).isEqualTo("tenant_not_active");
    assertThat(suspended.jsonPath().getString("detail")).contains("suspended");
  }

  @Test
  void aRelayStateIsFollowedOnlyUnderTheApplicationUrl() {
    String tenant = tenantTrusting(IDP);
    assertThat(relay(tenant, "https://app.vendor.example/home/reports?id=7"))
        .isEqualTo("https://app.vendor.example/home/reports?id=7");
    assertThat(relay(tenant, "https://app.vendor.example.evil.example/home"))
        .isEqualTo("https://app.vendor.example/home");
    assertThat(relay(tenant, "https://app.vendor.example/homepage"))
        .isEqualTo("https://app.vendor.example/home");
    assertThat(relay(tenant, "//evil.example/")).isEqualTo("https://app.vendor.example/home");
  }

  private static String relay(String tenant, String relayState) {
    Response r =
        given()
            .redirects()
            .follow(false)
            .formParam("SAMLResponse", IDP.signed(response(tenant, user())))
            .formParam("RelayState", relayState)
            .post("/saml/" + tenant + "/acs");
    assertThat(r.statusCode()).isEqualTo(303);
    return r.header("Location");
  }

  @Test
  void aLaterSignInReplacesChangedAttributesOnly() {
    String tenant = tenantTrusting(IDP);
    String userName = user();
    TestIdp.Response first = response(tenant, userName);
    assertThat(post(tenant, IDP.signed(first)).statusCode()).isEqualTo(303);
    // Same claims again: nothing to write.
    TestIdp.Response same = response(tenant, userName);
    same.attributes.putAll(first.attributes);
    assertThat(post(tenant, IDP.signed(same)).statusCode()).isEqualTo(303);
    assertThat(gateway().writes(tenant)).hasSize(1);

    TestIdp.Response changed = response(tenant, userName);
    changed.attributes.putAll(first.attributes);
    changed.attribute(WS + "surname", "Vance-Smith");
    assertThat(post(tenant, IDP.signed(changed)).statusCode()).isEqualTo(303);
    List<GatewayStub.Seen> writes = gateway().writes(tenant);
    assertThat(writes).hasSize(2);
    GatewayStub.Seen patch = writes.get(1);
    assertThat(patch.method()).isEqualTo("PATCH");
    assertThat(patch.claims().path("source").asText()).isEqualTo("saml-jit");
    JsonNode ops = patch.body().path("Operations");
    assertThat(ops).hasSize(1);
    assertThat(ops.get(0).path("op").asText()).isEqualTo("replace");
    assertThat(ops.get(0).path("path").asText()).isEqualTo("name.familyName");
    assertThat(ops.get(0).path("value").asText()).isEqualTo("Vance-Smith");
  }

  @Test
  void aUserCreatedBySCIMIsOnlyFilledInAndJoinsItsGroups() {
    String tenant = tenantTrusting(IDP);
    String userName = user();
    String id =
        gateway()
            .seed(
                tenant,
                "Users",
                "{\"userName\":\""
                    + userName
                    + "\",\"active\":true,\"name\":{\"givenName\":\"Adèle\"},"
                    + "\"displayName\":\"A. Vance (SCIM)\"}");
    String groupId =
        gateway().seed(tenant, "Groups", "{\"displayName\":\"Sales\",\"externalId\":\"g-sales\"}");
    TestIdp.Response r = response(tenant, userName);
    r.attribute(GROUPS, "g-sales", "g-unknown");
    assertThat(post(tenant, IDP.signed(r)).statusCode()).isEqualTo(303);

    List<GatewayStub.Seen> writes = gateway().writes(tenant);
    assertThat(writes).extracting(GatewayStub.Seen::method).containsExactly("PATCH", "PATCH");
    assertThat(writes.get(0).path()).isEqualTo("Users/" + id);
    JsonNode ops = writes.get(0).body().path("Operations");
    assertThat(ops.findValuesAsText("op")).containsOnly("add");
    assertThat(ops.findValuesAsText("path"))
        .containsExactlyInAnyOrder(
            "name.familyName", "emails[type eq \"work\"].value", "externalId");
    JsonNode stored = gateway().of(tenant, "Users").get(id);
    assertThat(stored.path("name").path("givenName").asText()).isEqualTo("Adèle");
    assertThat(stored.path("displayName").asText()).isEqualTo("A. Vance (SCIM)");
    assertThat(writes.get(1).path()).isEqualTo("Groups/" + groupId);
    assertThat(gateway().of(tenant, "Groups").get(groupId).path("members").toString()).contains(id);

    // A later sign-in with other values still leaves SCIM's attributes alone.
    TestIdp.Response later = response(tenant, userName);
    later.attribute(WS + "givenname", "Adele");
    assertThat(post(tenant, IDP.signed(later)).statusCode()).isEqualTo(303);
    assertThat(gateway().writes(tenant)).hasSize(2);
  }

  @Test
  void badSignatureUnsignedAndTamperedAreRefused() {
    String tenant = tenantTrusting(IDP);
    refused(tenant, STRANGER.signed(response(tenant, user())), 403, "bad_signature");
    refused(tenant, TestIdp.unsigned(response(tenant, user())), 403, "unsigned");
    // Signed, then a value changed: the digest no longer matches.
    TestIdp.Response r = response(tenant, user());
    Document doc = IDP.signedDocument(r);
    Node value =
        doc.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:assertion", "AttributeValue")
            .item(0);
    value.setTextContent("mallory@contoso.example");
    refused(tenant, TestIdp.encode(TestIdp.serialise(doc)), 403, "bad_signature");
  }

  @Test
  void wrongAudienceDestinationAndRecipientAreRefused() {
    String tenant = tenantTrusting(IDP);
    TestIdp.Response audience = response(tenant, user());
    audience.audience = SamlJitTestResource.BASE + "/saml/other-tenant/metadata";
    refused(tenant, IDP.signed(audience), 403, "audience");
    TestIdp.Response destination = response(tenant, user());
    destination.destination = "https://evil.example/acs";
    refused(tenant, IDP.signed(destination), 403, "destination");
    TestIdp.Response recipient = response(tenant, user());
    recipient.recipient = "https://evil.example/acs";
    refused(tenant, IDP.signed(recipient), 403, "subject_confirmation");
    TestIdp.Response issuer = response(tenant, user());
    issuer.issuer = "https://sts.windows.net/someone-else/";
    refused(tenant, IDP.signed(issuer), 403, "issuer");
  }

  @Test
  void expiredAndNotYetValidAreRefused() {
    String tenant = tenantTrusting(IDP);
    TestIdp.Response expired = response(tenant, user());
    // Past its end by more than java-saml's fixed 180 s skew.
    expired.notOnOrAfter = Instant.now().minusSeconds(240);
    expired.notBefore = Instant.now().minusSeconds(600);
    refused(tenant, IDP.signed(expired), 403, "expired");
    TestIdp.Response early = response(tenant, user());
    early.notBefore = Instant.now().plusSeconds(600);
    early.notOnOrAfter = Instant.now().plusSeconds(900);
    refused(tenant, IDP.signed(early), 403, "not_yet_valid");
    // Within the skew: accepted.
    TestIdp.Response skewed = response(tenant, user());
    skewed.notBefore = Instant.now().plusSeconds(60);
    assertThat(post(tenant, IDP.signed(skewed)).statusCode()).isEqualTo(303);
  }

  @Test
  void aReplayedAssertionIsRefused() {
    String tenant = tenantTrusting(IDP);
    String signed = IDP.signed(response(tenant, user()));
    assertThat(post(tenant, signed).statusCode()).isEqualTo(303);
    refused(tenant, signed, 403, "replay");
  }

  @Test
  void consumedIdsAreKeptUntilTheirEndAndThenPurged() {
    String tenant = SamlJitSupport.newTenant();
    Instant past = Instant.now().minusSeconds(1);
    Instant future = Instant.now().plusSeconds(600);
    assertThat(store.consume(tenant, "_gone", past, null)).isEqualTo(SignInStore.Verdict.ACCEPTED);
    assertThat(store.consume(tenant, "_kept", future, null))
        .isEqualTo(SignInStore.Verdict.ACCEPTED);
    store.issued(tenant, "_req-gone", past);
    store.issued(tenant, "_req-kept", future);
    assertThat(store.purge()).isGreaterThanOrEqualTo(2);
    // Purged: usable again (the library refuses it as expired long before); kept: still a replay.
    assertThat(store.consume(tenant, "_gone", future, null))
        .isEqualTo(SignInStore.Verdict.ACCEPTED);
    assertThat(store.consume(tenant, "_kept", future, null)).isEqualTo(SignInStore.Verdict.REPLAY);
    assertThat(store.pending(tenant, "_req-gone")).isFalse();
    assertThat(store.pending(tenant, "_req-kept")).isTrue();
    // An unknown request rolls back the assertion too: nothing consumed.
    assertThat(store.consume(tenant, "_a", future, "_req-unknown"))
        .isEqualTo(SignInStore.Verdict.UNKNOWN_REQUEST);
    assertThat(store.consume(tenant, "_a", future, "_req-kept"))
        .isEqualTo(SignInStore.Verdict.ACCEPTED);
    assertThat(store.pending(tenant, "_req-kept")).isFalse();
  }

  @Test
  void signatureWrappingIsRefused() throws Exception {
    String tenant = tenantTrusting(IDP);
    TestIdp.Response r = response(tenant, user());
    Document doc = IDP.signedDocument(r);
    Element signedAssertion =
        (Element)
            doc.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:assertion", "Assertion")
                .item(0);
    // An attacker's unsigned assertion for another user, beside the signed one.
    TestIdp.Response evil = response(tenant, "mallory@contoso.example");
    Document other = TestIdp.parse(evil.xml());
    Node injected =
        doc.importNode(
            other
                .getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:assertion", "Assertion")
                .item(0),
            true);
    signedAssertion.getParentNode().insertBefore(injected, signedAssertion);
    refused(tenant, TestIdp.encode(TestIdp.serialise(doc)), 403, "assertion_count");
  }

  @Test
  void aDoctypeOrExternalEntityIsRefused() {
    String tenant = tenantTrusting(IDP);
    String xml = TestIdp.serialise(IDP.signedDocument(response(tenant, user())));
    String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + xml.replace("Adele Vance", "&x;");
    refused(tenant, TestIdp.encode(xxe), 400, "malformed");
    String doctype =
        "<?xml version=\"1.0\"?><!DOCTYPE r SYSTEM \"http://127.0.0.1:9/x.dtd\">" + xml;
    refused(tenant, TestIdp.encode(doctype), 400, "malformed");
    refused(tenant, "not base64 at all!", 400, "malformed");
  }

  @Test
  void duringRotationBothCertificatesAreTrustedAndARemovedOneIsNot() {
    String tenant = tenantTrusting(IDP, NEXT);
    assertThat(post(tenant, IDP.signed(response(tenant, user()))).statusCode()).isEqualTo(303);
    assertThat(post(tenant, NEXT.signed(response(tenant, user()))).statusCode()).isEqualTo(303);
    // The old certificate's trust ends (notAfter passed): refused, the new one still accepted.
    assertThat(
            put(tenant, settings("", IDP.pem() + "|" + Instant.now().minusSeconds(1), NEXT.pem()))
                .statusCode())
        .isEqualTo(200);
    refused(tenant, IDP.signed(response(tenant, user())), 403, "bad_signature");
    assertThat(post(tenant, NEXT.signed(response(tenant, user()))).statusCode()).isEqualTo(303);
    // Removed altogether: refused too.
    assertThat(put(tenant, settings("", NEXT.pem())).statusCode()).isEqualTo(200);
    refused(tenant, IDP.signed(response(tenant, user())), 403, "bad_signature");
  }

  @Test
  void spInitiatedSignInAnswersOnlyOurOwnRequestOnce() throws Exception {
    String tenant = tenantTrusting(IDP);
    Response login = given().redirects().follow(false).get("/saml/" + tenant + "/login");
    assertThat(login.statusCode()).isEqualTo(303);
    String location = login.header("Location");
    assertThat(location)
        .startsWith("https://login.microsoftonline.com/7f3c2c1e/saml2?SAMLRequest=");
    String requestId = requestId(location);

    TestIdp.Response unknown = response(tenant, user());
    unknown.inResponseTo = "_not-one-of-ours";
    refused(tenant, IDP.signed(unknown), 403, "unknown_request");

    TestIdp.Response answer = response(tenant, user());
    answer.inResponseTo = requestId;
    assertThat(post(tenant, IDP.signed(answer)).statusCode()).isEqualTo(303);
    // The same request answered again (a new assertion): refused.
    TestIdp.Response again = response(tenant, user());
    again.inResponseTo = requestId;
    refused(tenant, IDP.signed(again), 403, "unknown_request");
  }

  @Test
  void spInitiatedSignInsAreLimitedPerTenantBeforeAnythingIsStored() throws Exception {
    // The test profile allows a burst of 3 and adds one back per hour.
    String tenant = tenantTrusting(IDP);
    for (int i = 0; i < 3; i++) {
      Response login = given().redirects().follow(false).get("/saml/" + tenant + "/login");
      assertThat(login.statusCode()).isEqualTo(303);
      assertThat(store.pending(tenant, requestId(login.header("Location")))).isTrue();
    }
    Response limited =
        given()
            .redirects()
            .follow(false)
            .accept("application/json")
            .get("/saml/" + tenant + "/login");
    assertThat(limited.statusCode()).as(limited.asString()).isEqualTo(429);
    assertThat(limited.jsonPath().getString("reason")).isEqualTo("too_many_sign_ins");
    assertThat(Long.parseLong(limited.header("Retry-After"))).isGreaterThan(0);
    assertThat(limited.header("Location")).isNull();
    // Another tenant's sign-ins are not held up; a tenant without an IdP has no bucket to drain.
    String other = tenantTrusting(IDP);
    assertThat(given().redirects().follow(false).get("/saml/" + other + "/login").statusCode())
        .isEqualTo(303);
    String unknown = SamlJitSupport.newTenant();
    for (int i = 0; i < 5; i++) {
      assertThat(given().redirects().follow(false).get("/saml/" + unknown + "/login").statusCode())
          .isEqualTo(404);
    }
  }

  @Test
  void metadataNamesOurEntityIdAndReplyUrl() {
    String tenant = tenantTrusting(IDP);
    Response r = given().get("/saml/" + tenant + "/metadata");
    assertThat(r.statusCode()).isEqualTo(200);
    String base = SamlJitTestResource.BASE + "/saml/" + tenant;
    assertThat(r.asString())
        .contains("entityID=\"" + base + "/metadata\"")
        .contains("Location=\"" + base + "/acs\"");
    assertThat(given().get("/saml/" + SamlJitSupport.newTenant() + "/metadata").statusCode())
        .isEqualTo(404);
    refused(
        SamlJitSupport.newTenant(), IDP.signed(response(tenant, user())), 404, "unknown_tenant");
  }

  private static String requestId(String location) throws Exception {
    String encoded =
        java.net.URLDecoder.decode(
            location.substring(location.indexOf("SAMLRequest=") + 12), StandardCharsets.UTF_8);
    Inflater inflater = new Inflater(true);
    inflater.setInput(Base64.getDecoder().decode(encoded));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    while (!inflater.finished()) {
      int n = inflater.inflate(buffer);
      if (n == 0 && inflater.needsInput()) {
        break;
      }
      out.write(buffer, 0, n);
    }
    Matcher m = Pattern.compile(" ID=\"([^\"]+)\"").matcher(out.toString(StandardCharsets.UTF_8));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }
}
