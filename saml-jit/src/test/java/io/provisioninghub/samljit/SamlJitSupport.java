package io.provisioninghub.samljit;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import java.util.UUID;

/** Helpers shared by saml-jit's Quarkus tests. */
final class SamlJitSupport {

  static final String WS = TestIdp.ENTRA_CLAIMS;
  static final String MS = TestIdp.MS_CLAIMS;
  static final String GROUPS = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups";

  private SamlJitSupport() {}

  static String newTenant() {
    return "saml-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static String admin() {
    return SamlJitTestResource.ADMIN.adminToken();
  }

  static Response put(String tenant, String body) {
    return given()
        .auth()
        .oauth2(admin())
        .contentType("application/json")
        .body(body)
        .put("/admin/v1/tenants/" + tenant + "/saml");
  }

  static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  /** Settings trusting these IdPs' certificates (each "pem|notAfter" or a pem alone). */
  static String settings(String extra, String... certificates) {
    StringBuilder certs = new StringBuilder();
    for (String c : certificates) {
      String[] parts = c.split("\\|");
      certs.append(certs.length() == 0 ? "" : ",").append("{\"pem\":").append(json(parts[0]));
      if (parts.length > 1) {
        certs.append(",\"notAfter\":\"").append(parts[1]).append("\"");
      }
      certs.append("}");
    }
    return "{\"idpEntityId\":"
        + json(TestIdp.ENTITY_ID)
        + ",\"ssoUrl\":\"https://login.microsoftonline.com/7f3c2c1e/saml2\""
        + ",\"certificates\":["
        + certs
        + "],\"groupClaim\":"
        + json(GROUPS)
        + ",\"applicationUrl\":\"https://app.vendor.example/home\""
        + extra
        + "}";
  }

  /** A response addressed to the tenant's SP, for this user, with Entra's default claims. */
  static TestIdp.Response response(String tenant, String userName) {
    return TestIdp.Response.entra(
        SamlJitTestResource.BASE,
        tenant,
        userName,
        UUID.randomUUID().toString(),
        "Vance",
        userName);
  }

  static Response post(String tenant, String samlResponse) {
    return given()
        .redirects()
        .follow(false)
        .accept("application/json")
        .formParam("SAMLResponse", samlResponse)
        .post("/saml/" + tenant + "/acs");
  }
}
