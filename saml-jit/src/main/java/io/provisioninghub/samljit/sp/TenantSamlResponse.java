package io.provisioninghub.samljit.sp;

import com.onelogin.saml2.authn.SamlResponse;
import com.onelogin.saml2.http.HttpRequest;
import com.onelogin.saml2.settings.Saml2Settings;

/**
 * java-saml's response, with the one value it validates but does not expose: the Response's {@code
 * InResponseTo}, which we need before validating to look up the AuthnRequest we sent.
 */
class TenantSamlResponse extends SamlResponse {

  TenantSamlResponse(Saml2Settings settings, HttpRequest request) throws Exception {
    super(settings, request);
  }

  /** The Response element's InResponseTo, or null for an IdP-initiated sign-in. */
  String inResponseTo() {
    var root = getSAMLResponseDocument().getDocumentElement();
    return root.hasAttribute("InResponseTo") ? root.getAttribute("InResponseTo") : null;
  }
}
