package io.provisioninghub.system;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.samljit.TestIdp;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Sign-ins at a saml-jit service provider, as a browser posts them after Entra ID: a tenant's IdP
 * registered with a test IdP's certificate, and assertions shaped like Entra's default claims.
 */
final class SamlSignIns {

  private final HttpClient http = HttpClient.newHttpClient();
  private final String serviceUrl;
  private final String publicBase;

  /**
   * @param serviceUrl where this test reaches saml-jit
   * @param publicBase the base URL saml-jit names itself by (its entity ids and ACS addresses)
   */
  SamlSignIns(String serviceUrl, String publicBase) {
    this.serviceUrl = serviceUrl;
    this.publicBase = publicBase;
  }

  /** Registers {@code idp} as the tenant's identity provider through the admin API. */
  HttpResponse<String> registerIdp(String tenant, String adminToken, TestIdp idp) throws Exception {
    ObjectNode settings =
        ContractJson.mapper()
            .createObjectNode()
            .put("idpEntityId", TestIdp.ENTITY_ID)
            .put("ssoUrl", "https://login.microsoftonline.com/test/saml2");
    settings.putArray("certificates").addObject().put("pem", idp.pem());
    return http.send(
        HttpRequest.newBuilder(URI.create(serviceUrl + "/admin/v1/tenants/" + tenant + "/saml"))
            .header("Authorization", "Bearer " + adminToken)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(settings.toString()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** An IdP-initiated response for the tenant's service provider with Entra's default claims. */
  TestIdp.Response entraResponse(
      String tenant, String userName, String objectId, String surname, String mail) {
    return TestIdp.Response.entra(publicBase, tenant, userName, objectId, surname, mail);
  }

  /** Posts a signed response to the tenant's Assertion Consumer Service. */
  HttpResponse<String> signIn(String tenant, String samlResponse) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(serviceUrl + "/saml/" + tenant + "/acs"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "SAMLResponse=" + URLEncoder.encode(samlResponse, StandardCharsets.UTF_8)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
