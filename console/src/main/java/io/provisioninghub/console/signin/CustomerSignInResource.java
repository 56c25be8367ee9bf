package io.provisioninghub.console.signin;

import io.provisioninghub.console.session.Sessions;
import io.provisioninghub.console.upstream.RegistryApi.RequiredClaim;
import io.provisioninghub.console.upstream.RegistryApi.SignInClient;
import io.provisioninghub.console.upstream.RegistryClient.SignInLookup;
import io.provisioninghub.console.web.ErrorPages;
import io.quarkus.oidc.OidcSession;
import io.quarkus.oidc.runtime.OidcUtils;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * A customer's admin signs in with its organisation's own identity provider: {@code
 * /console/sign-in} asks for the tenant id, {@code /console/tenant-sign-in/<T>} (the address an
 * operator hands out) runs the OIDC code flow of tenant T ({@link CustomerTenantResolver}), checks
 * the required claim, opens the console session for T and ends the OIDC session at once.
 */
@Path("/console")
@Blocking
public class CustomerSignInResource {

  private static final Logger LOG = Logger.getLogger(CustomerSignInResource.class);
  private static final String LOG_PAGE = "/console/tenant/log";

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance signIn(String tenant, String problem);

    static native TemplateInstance continueTo(String tenant, String href);

    static native TemplateInstance signedIn(String displayName, String href);
  }

  private final SignInDirectory directory;
  private final Sessions sessions;
  private final SecurityIdentity identity;
  private final OidcSession oidcSession;
  private final RoutingContext routing;

  public CustomerSignInResource(
      SignInDirectory directory,
      Sessions sessions,
      SecurityIdentity identity,
      OidcSession oidcSession,
      RoutingContext routing) {
    this.routing = routing;
    this.directory = directory;
    this.sessions = sessions;
    this.identity = identity;
    this.oidcSession = oidcSession;
  }

  /**
   * The form asks for the tenant id and is sent with GET to this page, which answers with a page
   * that goes on to the tenant's sign-in: the redirect to the identity provider then follows a
   * plain navigation, not a form submission, so CSP {@code form-action 'self'} does not block it.
   */
  @GET
  @Path("sign-in")
  @Produces(MediaType.TEXT_HTML)
  public Response signIn(@QueryParam("tenant") String tenant) {
    if (tenant == null || tenant.isBlank()) {
      return Response.ok(Templates.signIn("", null)).build();
    }
    String id = tenant.strip().toLowerCase(Locale.ROOT);
    if (!SignInDirectory.isTenantId(id)) {
      return Response.status(400)
          .entity(
              Templates.signIn(
                  tenant.length() > 64 ? "" : tenant,
                  "A tenant id has 2-63 lower-case letters, digits and dashes, as your provider"
                      + " gave it to you."))
          .build();
    }
    return Response.ok(Templates.continueTo(id, CustomerTenantResolver.PATH + id)).build();
  }

  @GET
  @Path("tenant-sign-in/{tenant}")
  @Produces(MediaType.TEXT_HTML)
  public Response tenantSignIn(@PathParam("tenant") String tenant) {
    if (!SignInDirectory.isTenantId(tenant)) {
      return notConfigured();
    }
    SignInLookup lookup = directory.lookup(tenant);
    if (lookup instanceof SignInLookup.NotActive) {
      return ErrorPages.page(
          403,
          "This tenant cannot be used now",
          "Your organisation's tenant is suspended or being deleted, so nobody can sign in to it.",
          "Ask your provider.");
    }
    if (!(lookup instanceof SignInLookup.Configured configured)) {
      return notConfigured();
    }
    SignInClient client = configured.client();
    if (identity.isAnonymous()) {
      // quarkus-oidc answers this with the redirect to the tenant's identity provider.
      throw new UnauthorizedException();
    }
    String oidcTenant = identity.getAttribute(OidcUtils.TENANT_ID_ATTRIBUTE);
    if (!CustomerTenantResolver.oidcTenantId(client).equals(oidcTenant)
        || !(identity.getPrincipal() instanceof JsonWebToken idToken)) {
      // Signed in for other settings (changed meanwhile) or another tenant: start again.
      endOidcSession();
      throw new UnauthorizedException();
    }
    if (!ClaimCheck.passes(client.requiredClaim(), idToken)) {
      endOidcSession();
      LOG.infof(
          "tenant %s: sign-in refused, the ID token lacks the required claim %s",
          tenant, client.requiredClaim().name());
      return refused(client.requiredClaim());
    }
    endOidcSession();
    LOG.infof("tenant %s: session opened by a sign-in at the tenant's identity provider", tenant);
    // A page that goes on, not a redirect: this request came from the identity provider's site,
    // and a browser does not send the SameSite=Strict session cookie on a redirect chain that a
    // cross-site navigation started. The page's own navigation is same-site, so it does.
    return Response.ok(Templates.signedIn(client.displayName(), LOG_PAGE))
        .header(
            "Set-Cookie",
            sessions.openSignedIn(
                tenant,
                client.displayName() == null ? tenant : client.displayName(),
                idToken.getSubject()))
        .build();
  }

  /**
   * The OIDC session only carried the sign-in to this page: the console session replaces it. Its
   * cookie was set earlier in this same response (the code was redeemed on this request), so it is
   * also expired in the response's cookie jar, chunks included.
   */
  private void endOidcSession() {
    String tenant = identity.getAttribute(OidcUtils.TENANT_ID_ATTRIBUTE);
    oidcSession.logout().await().indefinitely();
    if (tenant != null) {
      String name = OidcUtils.SESSION_COOKIE_NAME + "_" + tenant;
      routing.response().removeCookies(name, true);
      for (int chunk = 1; chunk <= 4; chunk++) {
        routing.response().removeCookies(name + "_chunk_" + chunk, true);
      }
    }
  }

  private static Response notConfigured() {
    return ErrorPages.page(
        404,
        "Sign-in with your organisation's account is not set up",
        "This tenant cannot sign in with its own identity provider (or there is no such tenant).",
        "Ask your provider for a setup link, or to set up sign-in with your organisation's"
            + " identity provider.");
  }

  private static Response refused(RequiredClaim claim) {
    return ErrorPages.page(
        403,
        "Your account may not use this console",
        "You signed in, but your organisation's identity provider did not say that your account"
            + " may use it: the claim \""
            + claim.name()
            + "\" must contain "
            + (claim.values().size() == 1 ? "the value \"" : "one of the values \"")
            + String.join("\", \"", claim.values())
            + "\", and it does not.",
        "Ask your organisation's administrator to give your account that "
            + ("roles".equals(claim.name())
                ? "role"
                : "groups".equals(claim.name()) ? "group" : "value")
            + " (in Microsoft Entra ID: the app role of the console's app registration), then"
            + " sign in again.");
  }
}
