package io.provisioninghub.samljit.sp;

import com.onelogin.saml2.authn.AuthnRequest;
import com.onelogin.saml2.exception.ValidationError;
import com.onelogin.saml2.http.HttpRequest;
import com.onelogin.saml2.settings.Metadata;
import com.onelogin.saml2.settings.Saml2Settings;
import com.onelogin.saml2.util.Constants;
import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.samljit.SamlJitConfig;
import io.provisioninghub.samljit.provision.GatewayScim;
import io.provisioninghub.samljit.provision.JitProvisioner;
import io.provisioninghub.samljit.provision.UserAttributes;
import io.provisioninghub.samljit.replay.SignInStore;
import io.provisioninghub.samljit.settings.IdpSettings;
import io.provisioninghub.samljit.settings.SettingsStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The service provider's work: metadata, SP-initiated AuthnRequests, and the assertion consumer —
 * java-saml validates (signature, audience, destination, recipient, timestamps, InResponseTo, one
 * assertion, no DOCTYPE), we add replay protection and provisioning.
 */
@ApplicationScoped
public class SignInService {

  private static final Logger LOG = Logger.getLogger(SignInService.class);

  /** java-saml's fixed clock skew ({@code Constants.ALOWED_CLOCK_DRIFT}, seconds). */
  public static final Duration SKEW = Duration.ofSeconds(Constants.ALOWED_CLOCK_DRIFT);

  /** Where the browser goes after a sign-in. */
  public record Success(String userId, JitProvisioner.Result result, String redirectTo) {}

  private final SettingsStore settings;
  private final ServiceProvider sp;
  private final SignInStore store;
  private final JitProvisioner provisioner;
  private final SamlJitConfig config;
  private final MeterRegistry meters;
  private final SignInLimit limit;

  public SignInService(
      SettingsStore settings,
      ServiceProvider sp,
      SignInStore store,
      JitProvisioner provisioner,
      SamlJitConfig config,
      MeterRegistry meters,
      SignInLimit limit) {
    this.settings = settings;
    this.sp = sp;
    this.store = store;
    this.provisioner = provisioner;
    this.config = config;
    this.meters = meters;
    this.limit = limit;
  }

  public String metadata(String tenant) {
    IdpSettings idp = idp(tenant, false);
    try {
      return new Metadata(sp.settings(idp, Instant.now())).getMetadataString();
    } catch (Exception e) {
      throw new IllegalStateException("SP metadata could not be built", e);
    }
  }

  /** A new AuthnRequest, remembered; answers the IdP URL to redirect the browser to. */
  public String login(String tenant, String relayState) {
    IdpSettings idp = idp(tenant, true);
    limit.acquire(tenant);
    Saml2Settings s = sp.settings(idp, Instant.now());
    AuthnRequest request = new AuthnRequest(s);
    store.issued(tenant, request.getId(), Instant.now().plus(config.requestTtl()));
    String encoded;
    try {
      encoded = request.getEncodedAuthnRequest(true);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String url = idp.ssoUrl();
    StringBuilder to =
        new StringBuilder(url)
            .append(url.contains("?") ? '&' : '?')
            .append("SAMLRequest=")
            .append(URLEncoder.encode(encoded, StandardCharsets.UTF_8));
    if (relayState != null && !relayState.isBlank() && relayState.length() <= 80) {
      to.append("&RelayState=").append(URLEncoder.encode(relayState, StandardCharsets.UTF_8));
    }
    LOG.infof("SP-initiated sign-in of tenant %s: AuthnRequest %s", tenant, request.getId());
    return to.toString();
  }

  /** Validates a posted response, refuses replays, provisions the user. */
  public Success acs(String tenant, String samlResponse, String relayState) {
    MDC.put("tenantId", tenant);
    try {
      Success success = consume(tenant, samlResponse, relayState);
      count("accepted", "none");
      LOG.infof(
          "sign-in accepted for tenant %s: user %s %s",
          tenant, success.userId(), success.result().name().toLowerCase());
      return success;
    } catch (Refusal r) {
      count("refused", r.reason);
      LOG.warnf("sign-in refused for tenant %s: %s (%s)", tenant, r.reason, r.getMessage());
      throw r;
    } finally {
      MDC.remove("tenantId");
    }
  }

  private Success consume(String tenant, String samlResponse, String relayState) {
    IdpSettings idp = idp(tenant, true);
    if (samlResponse == null || samlResponse.isBlank()) {
      throw new Refusal(400, "missing_response", "no SAMLResponse form parameter");
    }
    if (samlResponse.length() > 1_000_000) {
      throw new Refusal(400, "malformed", "SAMLResponse is larger than 1 MB");
    }
    Instant now = Instant.now();
    Saml2Settings s = sp.settings(idp, now);
    Map<String, List<String>> form = new HashMap<>();
    form.put("SAMLResponse", List.of(samlResponse));
    TenantSamlResponse response;
    try {
      response = new TenantSamlResponse(s, new HttpRequest(sp.acsUrl(tenant), form, null));
    } catch (ValidationError e) {
      throw refusal(e);
    } catch (Exception e) {
      throw new Refusal(400, "malformed", "the SAMLResponse could not be read");
    }
    String inResponseTo = response.inResponseTo();
    if (inResponseTo != null && !store.pending(tenant, inResponseTo)) {
      throw new Refusal(
          403,
          "unknown_request",
          "the response answers an AuthnRequest we did not send or that expired");
    }
    if (!response.isValid(inResponseTo)) {
      Exception e = response.getValidationException();
      throw e instanceof ValidationError v
          ? refusal(v)
          : new Refusal(403, "invalid", String.valueOf(e == null ? "invalid" : e.getMessage()));
    }
    String assertionId;
    Instant keepUntil = now.plus(SKEW.multipliedBy(2));
    Map<String, List<String>> claims;
    String nameId;
    try {
      assertionId = response.getAssertionId();
      for (var notOnOrAfter : response.getAssertionNotOnOrAfter()) {
        Instant until = Instant.ofEpochMilli(notOnOrAfter.getMillis()).plus(SKEW);
        if (until.isAfter(keepUntil)) {
          keepUntil = until;
        }
      }
      claims = response.getAttributes();
      nameId = response.getNameId();
    } catch (Exception e) {
      throw new Refusal(
          400, "malformed", "the assertion's id, subject or attributes are unreadable");
    }
    switch (store.consume(tenant, assertionId, keepUntil, inResponseTo)) {
      case REPLAY ->
          throw new Refusal(403, "replay", "the assertion " + assertionId + " was used before");
      case UNKNOWN_REQUEST ->
          throw new Refusal(
              403, "unknown_request", "the AuthnRequest was answered before or expired");
      case ACCEPTED -> {}
    }
    Map<String, String> values = UserAttributes.mapped(idp.claimMapping(), claims);
    String userName = values.getOrDefault("userName", nameId);
    if (userName == null || userName.isBlank()) {
      throw new Refusal(400, "no_user_name", "neither the userName claim nor a NameID was sent");
    }
    List<String> groups =
        idp.groupClaim() == null ? List.of() : claims.getOrDefault(idp.groupClaim(), List.of());
    JitProvisioner.Outcome outcome;
    try {
      outcome = provisioner.signIn(idp, userName, values, groups);
    } catch (JitProvisioner.Refused e) {
      throw new Refusal(
          400, "provisioning_refused", "the gateway refused the user: " + e.getMessage());
    } catch (GatewayScim.TenantRefused e) {
      // A suspended tenant (or one being deleted): no sign-in until the operator resumes it.
      throw new Refusal(403, "tenant_not_active", e.getMessage());
    } catch (GatewayScim.Unavailable e) {
      throw new Refusal(503, "provisioning_unavailable", e.getMessage());
    }
    return new Success(outcome.userId(), outcome.result(), redirect(idp, relayState));
  }

  /**
   * The application URL; a RelayState is followed only when it is a URL under it (same scheme, host
   * and port, a path below) — never an open redirect.
   */
  private static String redirect(IdpSettings idp, String relayState) {
    String app = idp.applicationUrl();
    if (app == null) {
      return null;
    }
    if (relayState == null || relayState.length() > 2048) {
      return app;
    }
    try {
      URI base = new URI(app);
      URI to = new URI(relayState);
      String basePath = base.getPath() == null || base.getPath().isEmpty() ? "/" : base.getPath();
      String prefix = basePath.endsWith("/") ? basePath : basePath + "/";
      boolean under =
          base.getScheme().equals(to.getScheme())
              && base.getHost().equalsIgnoreCase(String.valueOf(to.getHost()))
              && base.getPort() == to.getPort()
              && to.getRawUserInfo() == null
              && to.getPath() != null
              && (to.getPath().equals(basePath) || to.getPath().startsWith(prefix))
              && !to.getPath().contains("/../");
      return under ? to.toString() : app;
    } catch (URISyntaxException e) {
      return app;
    }
  }

  private IdpSettings idp(String tenant, boolean mustBeEnabled) {
    IdpSettings idp =
        settings
            .find(tenant)
            .orElseThrow(
                () -> new Refusal(404, "unknown_tenant", "no SAML identity provider is set"));
    if (mustBeEnabled && !idp.enabled()) {
      throw new Refusal(403, "disabled", "SAML sign-in is disabled for this tenant");
    }
    return idp;
  }

  private void count(String outcome, String reason) {
    meters.counter("phub.saml.assertions", "outcome", outcome, "reason", reason).increment();
  }

  /** java-saml's error codes → our reason codes (README's refusal table). */
  static Refusal refusal(ValidationError e) {
    String reason =
        switch (e.getErrorCode()) {
          case ValidationError.INVALID_SIGNATURE,
              ValidationError.WRONG_SIGNED_ELEMENT,
              ValidationError.WRONG_NUMBER_OF_SIGNATURES_IN_RESPONSE,
              ValidationError.WRONG_NUMBER_OF_SIGNATURES_IN_ASSERTION,
              ValidationError.ID_NOT_FOUND_IN_SIGNED_ELEMENT,
              ValidationError.DUPLICATED_ID_IN_SIGNED_ELEMENTS,
              ValidationError.INVALID_SIGNED_ELEMENT,
              ValidationError.DUPLICATED_REFERENCE_IN_SIGNED_ELEMENTS,
              ValidationError.UNEXPECTED_REFERENCE,
              ValidationError.UNEXPECTED_SIGNED_ELEMENTS ->
              "bad_signature";
          case ValidationError.NO_SIGNATURE_FOUND, ValidationError.NO_SIGNED_ASSERTION ->
              "unsigned";
          case ValidationError.WRONG_AUDIENCE -> "audience";
          case ValidationError.WRONG_DESTINATION, ValidationError.EMPTY_DESTINATION ->
              "destination";
          case ValidationError.WRONG_SUBJECTCONFIRMATION -> "subject_confirmation";
          case ValidationError.ASSERTION_EXPIRED, ValidationError.SESSION_EXPIRED -> "expired";
          case ValidationError.ASSERTION_TOO_EARLY -> "not_yet_valid";
          case ValidationError.WRONG_NUMBER_OF_ASSERTIONS -> "assertion_count";
          case ValidationError.WRONG_INRESPONSETO -> "in_response_to";
          case ValidationError.WRONG_ISSUER,
              ValidationError.ISSUER_MULTIPLE_IN_RESPONSE,
              ValidationError.ISSUER_NOT_FOUND_IN_ASSERTION ->
              "issuer";
          case ValidationError.STATUS_CODE_IS_NOT_SUCCESS -> "idp_status";
          case ValidationError.INVALID_XML_FORMAT -> "malformed";
          default -> "invalid";
        };
    int status = reason.equals("malformed") ? 400 : 403;
    return new Refusal(status, reason, e.getMessage());
  }
}
