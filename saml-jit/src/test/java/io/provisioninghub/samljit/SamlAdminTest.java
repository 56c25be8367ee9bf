package io.provisioninghub.samljit;

import static io.provisioninghub.samljit.SamlJitSupport.admin;
import static io.provisioninghub.samljit.SamlJitSupport.json;
import static io.provisioninghub.samljit.SamlJitSupport.put;
import static io.provisioninghub.samljit.SamlJitSupport.settings;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.testkit.InfrastructureTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The admin API {@code /admin/v1/tenants/{t}/saml}: only admin tokens, clear 400s for bad input,
 * 404 for a tenant without an IdP, Entra's default claims, and IdP metadata XML read by java-saml.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(SamlJitTestResource.class)
class SamlAdminTest {

  static final TestIdp IDP = TestIdp.generate("idp-admin");

  private static String path(String tenant) {
    return "/admin/v1/tenants/" + tenant + "/saml";
  }

  @Test
  void onlyAdminTokensAreAccepted() {
    String tenant = SamlJitSupport.newTenant();
    assertThat(
            given()
                .contentType("application/json")
                .body(settings("", IDP.pem()))
                .put(path(tenant))
                .statusCode())
        .isEqualTo(401);
    assertThat(
            given()
                .auth()
                .oauth2(SamlJitTestResource.ADMIN.token(Duration.ofMinutes(5), "support"))
                .get(path(tenant))
                .statusCode())
        .isEqualTo(403);
    assertThat(given().delete(path(tenant)).statusCode()).isEqualTo(401);
  }

  @Test
  void aTenantWithoutAnIdpIs404() {
    String tenant = SamlJitSupport.newTenant();
    assertThat(given().auth().oauth2(admin()).get(path(tenant)).statusCode()).isEqualTo(404);
    assertThat(given().auth().oauth2(admin()).delete(path(tenant)).statusCode()).isEqualTo(404);
    assertThat(given().auth().oauth2(admin()).get(path("bad tenant!")).statusCode()).isEqualTo(400);
  }

  @Test
  void badInputIsRefusedWithAReason() {
    String tenant = SamlJitSupport.newTenant();
    assertBad(put(tenant, settings("")), "certificate");
    assertBad(put(tenant, settings("", "not a certificate")), "PEM");
    assertBad(put(tenant, settings(",\"ssoUrl\":\"ftp://idp.example/sso\"", IDP.pem())), "ssoUrl");
    assertBad(
        put(tenant, settings(",\"claimMapping\":{\"urn:x\":\"password\"}", IDP.pem())),
        "not a supported SCIM attribute path");
    assertBad(put(tenant, settings("", IDP.pem() + "|yesterday")), "notAfter");
    assertBad(
        put(tenant, settings("", IDP.pem() + "|2001-01-01T00:00:00Z")), "none would be trusted");
    assertBad(
        put(tenant, "{\"idpMetadataXml\":" + json("<!DOCTYPE x><x/>") + "}"), "idpMetadataXml");
    assertBad(put(tenant, "{\"certificates\":[]}"), "idpEntityId");
    assertThat(given().auth().oauth2(admin()).get(path(tenant)).statusCode()).isEqualTo(404);
  }

  @Test
  void putGetDeleteWithEntraDefaults() {
    String tenant = SamlJitSupport.newTenant();
    Response created = put(tenant, settings(",\"enabled\":false", IDP.pem()));
    assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
    assertThat(created.jsonPath().getString("spEntityId"))
        .isEqualTo(SamlJitTestResource.BASE + "/saml/" + tenant + "/metadata");
    assertThat(created.jsonPath().getString("acsUrl"))
        .isEqualTo(SamlJitTestResource.BASE + "/saml/" + tenant + "/acs");
    assertThat(created.jsonPath().getBoolean("enabled")).isFalse();
    assertThat(
            created
                .jsonPath()
                .getString(
                    "claimMapping.'http://schemas.microsoft.com/identity/claims/objectidentifier'"))
        .isEqualTo("externalId");
    assertThat(created.jsonPath().getList("certificates")).hasSize(1);
    assertThat(created.jsonPath().getBoolean("certificates[0].active")).isTrue();
    // Disabled: sign-ins refused.
    Response refused =
        given()
            .accept("application/json")
            .formParam("SAMLResponse", "x")
            .post("/saml/" + tenant + "/acs");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.jsonPath().getString("reason")).isEqualTo("disabled");

    assertThat(put(tenant, settings("", IDP.pem())).statusCode()).isEqualTo(200);
    assertThat(given().auth().oauth2(admin()).get(path(tenant)).jsonPath().getBoolean("enabled"))
        .isTrue();
    assertThat(given().auth().oauth2(admin()).delete(path(tenant)).statusCode()).isEqualTo(204);
    assertThat(given().auth().oauth2(admin()).get(path(tenant)).statusCode()).isEqualTo(404);
  }

  @Test
  void idpMetadataXmlIsReadByTheLibrary() throws Exception {
    String tenant = SamlJitSupport.newTenant();
    String cert = Base64.getEncoder().encodeToString(IDP.certificate.getEncoded());
    String metadata =
        "<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\""
            + TestIdp.ENTITY_ID
            + "\"><IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">"
            + "<KeyDescriptor use=\"signing\"><KeyInfo xmlns=\"http://www.w3.org/2000/09/xmldsig#\">"
            + "<X509Data><X509Certificate>"
            + cert
            + "</X509Certificate></X509Data></KeyInfo></KeyDescriptor>"
            + "<SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\""
            + " Location=\"https://login.microsoftonline.com/7f3c2c1e/saml2\"/>"
            + "</IDPSSODescriptor></EntityDescriptor>";
    Response r = put(tenant, "{\"idpMetadataXml\":" + json(metadata) + "}");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    assertThat(r.jsonPath().getString("idpEntityId")).isEqualTo(TestIdp.ENTITY_ID);
    assertThat(r.jsonPath().getString("ssoUrl"))
        .isEqualTo("https://login.microsoftonline.com/7f3c2c1e/saml2");
    assertThat(r.jsonPath().getString("certificates[0].subject")).isEqualTo("CN=idp-admin");
  }

  private static void assertBad(Response r, String detailContains) {
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
    assertThat(r.jsonPath().getString("detail")).contains(detailContains);
  }
}
