package io.provisioninghub.samljit.sp;

import com.onelogin.saml2.settings.Saml2Settings;
import com.onelogin.saml2.settings.SettingsBuilder;
import io.provisioninghub.samljit.SamlJitConfig;
import io.provisioninghub.samljit.settings.IdpSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tenant's SAML service provider as java-saml sees it: our entity id and ACS URL, the tenant's
 * IdP and its active certificates, and the security settings every tenant gets (strict, signed
 * assertions, schema validation, no SHA-1). Built per request from the stored settings, so a change
 * through the admin API applies to the next sign-in.
 */
@ApplicationScoped
public class ServiceProvider {

  private final String base;

  public ServiceProvider(SamlJitConfig config) {
    String url = config.publicBaseUrl().toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Our entity id (Entra: "Identifier (Entity ID)") for a tenant. */
  public String entityId(String tenantId) {
    return base + "/saml/" + tenantId + "/metadata";
  }

  /** Our assertion consumer service URL (Entra: "Reply URL") for a tenant. */
  public String acsUrl(String tenantId) {
    return base + "/saml/" + tenantId + "/acs";
  }

  public String loginUrl(String tenantId) {
    return base + "/saml/" + tenantId + "/login";
  }

  /** The library's settings for this tenant, trusting the certificates active at {@code now}. */
  public Saml2Settings settings(IdpSettings idp, Instant now) {
    Map<String, Object> values = new HashMap<>();
    values.put(SettingsBuilder.STRICT_PROPERTY_KEY, true);
    values.put(SettingsBuilder.DEBUG_PROPERTY_KEY, false);
    values.put(SettingsBuilder.SP_ENTITYID_PROPERTY_KEY, entityId(idp.tenantId()));
    values.put(
        SettingsBuilder.SP_ASSERTION_CONSUMER_SERVICE_URL_PROPERTY_KEY, acsUrl(idp.tenantId()));
    values.put(
        SettingsBuilder.SP_NAMEIDFORMAT_PROPERTY_KEY,
        "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified");
    values.put(SettingsBuilder.IDP_ENTITYID_PROPERTY_KEY, idp.idpEntityId());
    values.put(SettingsBuilder.IDP_SINGLE_SIGN_ON_SERVICE_URL_PROPERTY_KEY, idp.ssoUrl());
    List<IdpSettings.Certificate> active = idp.activeCertificates(now);
    for (int i = 0; i < active.size(); i++) {
      values.put(
          SettingsBuilder.IDP_X509CERTMULTI_PROPERTY_KEY + "." + i,
          certificate(active.get(i).pem()));
    }
    // Entra signs the assertion by default ("Sign SAML assertion"); the response may be signed too.
    values.put(SettingsBuilder.SECURITY_WANT_ASSERTIONS_SIGNED, true);
    values.put(SettingsBuilder.SECURITY_WANT_MESSAGES_SIGNED, false);
    values.put(SettingsBuilder.SECURITY_AUTHREQUEST_SIGNED, false);
    values.put(SettingsBuilder.SECURITY_WANT_XML_VALIDATION, true);
    values.put(SettingsBuilder.SECURITY_REJECT_DEPRECATED_ALGORITHM, true);
    values.put(SettingsBuilder.SECURITY_REJECT_UNSOLICITED_RESPONSES_WITH_INRESPONSETO, true);
    return new SettingsBuilder().fromValues(values).build();
  }

  /** Parses one PEM certificate; {@link IllegalArgumentException} when it is none. */
  public static X509Certificate certificate(String pem) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(normalise(pem).getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException | ClassCastException e) {
      throw new IllegalArgumentException("not a PEM X.509 certificate");
    }
  }

  /** Accepts a bare base64 body (as metadata and Entra's download carry it) or a full PEM. */
  public static String normalise(String pem) {
    String body =
        pem.replace("-----BEGIN CERTIFICATE-----", "")
            .replace("-----END CERTIFICATE-----", "")
            .replaceAll("\\s", "");
    return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
  }
}
