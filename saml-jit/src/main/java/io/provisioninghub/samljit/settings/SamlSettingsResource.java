package io.provisioninghub.samljit.settings;

import com.onelogin.saml2.settings.IdPMetadataParser;
import com.onelogin.saml2.settings.SettingsBuilder;
import com.onelogin.saml2.util.Util;
import io.provisioninghub.samljit.provision.ClaimMapping;
import io.provisioninghub.samljit.sp.ServiceProvider;
import io.provisioninghub.support.http.ApiError;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.w3c.dom.Document;

/**
 * {@code /admin/v1/tenants/{tenant}/saml}: a tenant's SAML identity provider, set by an operator
 * (role {@code provisioning-admin}, the registry's admin tokens, as graph-sync's admin API).
 */
@Path("/admin/v1/tenants/{tenant}/saml")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("provisioning-admin")
@Blocking
public class SamlSettingsResource {

  static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final int MAX_CERTIFICATES = 5;
  private static final int MAX_CLAIMS = 50;

  private final SettingsStore store;
  private final ServiceProvider sp;

  public SamlSettingsResource(SettingsStore store, ServiceProvider sp) {
    this.store = store;
    this.sp = sp;
  }

  /**
   * What an operator sends: the IdP by hand ({@code idpEntityId}, {@code ssoUrl}, {@code
   * certificates}) or as its metadata XML ({@code idpMetadataXml}; fields given by hand win).
   * {@code claimMapping} null = Entra ID's defaults.
   */
  public record SettingsRequest(
      String idpEntityId,
      String ssoUrl,
      List<CertificateRequest> certificates,
      String idpMetadataXml,
      Map<String, String> claimMapping,
      String groupClaim,
      String applicationUrl,
      Boolean enabled) {}

  /** One IdP signing certificate: PEM (or bare base64) and an optional end of trust. */
  public record CertificateRequest(String pem, String notAfter) {}

  /** What is answered, with what to enter at the IdP (our entity id and reply URL). */
  public record SettingsView(
      String tenantId,
      String spEntityId,
      String acsUrl,
      String loginUrl,
      String idpEntityId,
      String ssoUrl,
      List<CertificateView> certificates,
      Map<String, String> claimMapping,
      String groupClaim,
      String applicationUrl,
      boolean enabled,
      Instant createdAt,
      Instant updatedAt) {}

  /** A stored certificate, described. */
  public record CertificateView(
      String subject,
      String sha256,
      Instant certificateNotAfter,
      Instant notAfter,
      boolean active,
      String pem) {}

  @PUT
  public Response put(@PathParam("tenant") String tenant, SettingsRequest request) {
    checkTenant(tenant);
    if (request == null) {
      throw ApiError.badRequest("a JSON body is required");
    }
    String entityId = request.idpEntityId();
    String ssoUrl = request.ssoUrl();
    List<IdpSettings.Certificate> certificates = new ArrayList<>();
    if (request.idpMetadataXml() != null) {
      Map<String, Object> parsed = parseMetadata(request.idpMetadataXml());
      if (entityId == null) {
        entityId = (String) parsed.get(SettingsBuilder.IDP_ENTITYID_PROPERTY_KEY);
      }
      if (ssoUrl == null) {
        ssoUrl = (String) parsed.get(SettingsBuilder.IDP_SINGLE_SIGN_ON_SERVICE_URL_PROPERTY_KEY);
      }
      if (request.certificates() == null) {
        Object single = parsed.get(SettingsBuilder.IDP_X509CERT_PROPERTY_KEY);
        if (single != null) {
          certificates.add(new IdpSettings.Certificate(certificate((String) single), null));
        }
        for (int i = 0; ; i++) {
          Object more = parsed.get(SettingsBuilder.IDP_X509CERTMULTI_PROPERTY_KEY + "." + i);
          if (more == null) {
            break;
          }
          IdpSettings.Certificate c = new IdpSettings.Certificate(certificate((String) more), null);
          if (!certificates.contains(c)) {
            certificates.add(c);
          }
        }
      }
    }
    entityId = required(entityId, "idpEntityId");
    if (entityId.length() > 1024) {
      throw ApiError.badRequest("idpEntityId is at most 1024 characters");
    }
    ssoUrl = url(required(ssoUrl, "ssoUrl"), "ssoUrl");
    if (request.certificates() != null) {
      for (CertificateRequest c : request.certificates()) {
        if (c == null || c.pem() == null || c.pem().isBlank()) {
          throw ApiError.badRequest("every certificate needs a pem");
        }
        certificates.add(new IdpSettings.Certificate(certificate(c.pem()), instant(c.notAfter())));
      }
    }
    if (certificates.isEmpty()) {
      throw ApiError.badRequest("at least one IdP signing certificate is required");
    }
    if (certificates.size() > MAX_CERTIFICATES) {
      throw ApiError.badRequest("at most " + MAX_CERTIFICATES + " certificates");
    }
    if (certificates.stream().noneMatch(c -> c.activeAt(Instant.now()))) {
      throw ApiError.badRequest("every certificate's notAfter has passed: none would be trusted");
    }
    Map<String, String> mapping =
        request.claimMapping() == null ? ClaimMapping.ENTRA_DEFAULTS : request.claimMapping();
    if (mapping.isEmpty() || mapping.size() > MAX_CLAIMS) {
      throw ApiError.badRequest("claimMapping must map 1 to " + MAX_CLAIMS + " claims");
    }
    Map<String, String> checked = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : mapping.entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank() || e.getKey().length() > 512) {
        throw ApiError.badRequest("claimMapping: a claim name must be 1 to 512 characters");
      }
      if (!ClaimMapping.validPath(e.getValue())) {
        throw ApiError.badRequest(
            "claimMapping: \""
                + e.getValue()
                + "\" is not a supported SCIM attribute path (e.g. userName, name.givenName,"
                + " emails[type eq \"work\"].value)");
      }
      if (checked.containsValue(e.getValue())) {
        throw ApiError.badRequest("claimMapping: two claims fill " + e.getValue());
      }
      checked.put(e.getKey(), e.getValue());
    }
    String groupClaim = request.groupClaim();
    if (groupClaim != null && (groupClaim.isBlank() || groupClaim.length() > 512)) {
      throw ApiError.badRequest("groupClaim must be 1 to 512 characters");
    }
    String applicationUrl =
        request.applicationUrl() == null ? null : url(request.applicationUrl(), "applicationUrl");
    boolean created =
        store.put(
            tenant,
            entityId,
            ssoUrl,
            certificates,
            checked,
            groupClaim,
            applicationUrl,
            request.enabled() == null || request.enabled());
    return Response.status(created ? 201 : 200)
        .entity(view(store.find(tenant).orElseThrow()))
        .build();
  }

  @GET
  public SettingsView get(@PathParam("tenant") String tenant) {
    checkTenant(tenant);
    return view(
        store
            .find(tenant)
            .orElseThrow(
                () -> ApiError.notFound("no SAML identity provider is set for tenant " + tenant)));
  }

  @DELETE
  public Response delete(@PathParam("tenant") String tenant) {
    checkTenant(tenant);
    if (!store.delete(tenant)) {
      throw ApiError.notFound("no SAML identity provider is set for tenant " + tenant);
    }
    return Response.noContent().build();
  }

  private SettingsView view(IdpSettings s) {
    Instant now = Instant.now();
    List<CertificateView> certs = new ArrayList<>();
    for (IdpSettings.Certificate c : s.certificates()) {
      X509Certificate x = ServiceProvider.certificate(c.pem());
      certs.add(
          new CertificateView(
              x.getSubjectX500Principal().getName(),
              sha256(x),
              x.getNotAfter().toInstant(),
              c.notAfter(),
              c.activeAt(now),
              c.pem()));
    }
    return new SettingsView(
        s.tenantId(),
        sp.entityId(s.tenantId()),
        sp.acsUrl(s.tenantId()),
        sp.loginUrl(s.tenantId()),
        s.idpEntityId(),
        s.ssoUrl(),
        certs,
        s.claimMapping(),
        s.groupClaim(),
        s.applicationUrl(),
        s.enabled(),
        s.createdAt(),
        s.updatedAt());
  }

  private static Map<String, Object> parseMetadata(String xml) {
    if (xml.length() > 200_000) {
      throw ApiError.badRequest("idpMetadataXml is at most 200,000 characters");
    }
    Document document = Util.loadXML(xml);
    if (document == null) {
      throw ApiError.badRequest("idpMetadataXml is not well-formed XML (or declares a DOCTYPE)");
    }
    try {
      Map<String, Object> parsed = IdPMetadataParser.parseXML(document);
      if (parsed.isEmpty()) {
        throw ApiError.badRequest("idpMetadataXml holds no IDPSSODescriptor");
      }
      return parsed;
    } catch (javax.xml.xpath.XPathException e) {
      throw ApiError.badRequest("idpMetadataXml could not be read as SAML metadata");
    }
  }

  private static String certificate(String pem) {
    try {
      ServiceProvider.certificate(pem);
      return ServiceProvider.normalise(pem);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("a certificate is not a PEM X.509 certificate");
    }
  }

  private static Instant instant(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest(
          "notAfter must be an ISO-8601 instant such as 2027-01-31T00:00:00Z");
    }
  }

  private static String url(String value, String name) {
    try {
      URI uri = new URI(value.strip());
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          || uri.getHost() == null
          || value.length() > 2048) {
        throw ApiError.badRequest(name + " must be an absolute http(s) URL");
      }
      return uri.toString();
    } catch (URISyntaxException e) {
      throw ApiError.badRequest(name + " must be an absolute http(s) URL");
    }
  }

  private static String sha256(X509Certificate x) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(x.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  static void checkTenant(String tenant) {
    if (tenant == null || !TENANT.matcher(tenant).matches()) {
      throw ApiError.badRequest("not a tenant id");
    }
  }

  private static String required(String value, String name) {
    if (value == null || value.isBlank()) {
      throw ApiError.badRequest(name + " is required");
    }
    return value.strip();
  }
}
