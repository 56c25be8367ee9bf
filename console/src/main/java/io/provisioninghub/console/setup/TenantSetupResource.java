package io.provisioninghub.console.setup;

import io.provisioninghub.console.ConsoleConfig;
import io.provisioninghub.console.session.CustomerSession;
import io.provisioninghub.console.session.Sessions;
import io.provisioninghub.console.setup.SetupPage.CredentialRow;
import io.provisioninghub.console.setup.SetupPage.RevokePage;
import io.provisioninghub.console.setup.SetupPage.SecretPage;
import io.provisioninghub.console.upstream.RegistryApi.IssuedCredential;
import io.provisioninghub.console.upstream.RegistryClient;
import io.provisioninghub.console.web.BadInput;
import io.provisioninghub.console.web.Format;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The customer's setup page: instructions per SCIM client, the Tenant URL, the tenant's Secret
 * Tokens (generate, rotate, revoke) and the connection panel. The tenant is the session's; no
 * parameter or path here names one.
 */
@Path("/console/tenant")
@Blocking
public class TenantSetupResource {

  private static final Logger LOG = Logger.getLogger(TenantSetupResource.class);
  private static final Pattern CREDENTIAL_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance setup(SetupPage page);

    static native TemplateInstance secret(SecretPage page);

    static native TemplateInstance revoke(RevokePage page);
  }

  private final Sessions sessions;
  private final RegistryClient registry;
  private final ConnectionPanel connection;
  private final ConsoleConfig config;

  public TenantSetupResource(
      Sessions sessions,
      RegistryClient registry,
      ConnectionPanel connection,
      ConsoleConfig config) {
    this.sessions = sessions;
    this.registry = registry;
    this.connection = connection;
    this.config = config;
  }

  @GET
  @Path("setup")
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance setup(@Context HttpHeaders headers, @QueryParam("client") String client) {
    CustomerSession session = sessions.require(headers);
    Guide guide =
        Guide.of(client)
            .orElseThrow(
                () ->
                    new BadInput(
                        "There are instructions for Microsoft Entra ID, Okta and other SCIM"
                            + " clients only: choose one of them."));
    List<CredentialRow> credentials =
        registry.credentials(session).stream().map(CredentialRow::of).toList();
    return Templates.setup(
        new SetupPage(
            session.displayName(),
            guide,
            Arrays.asList(Guide.values()),
            config.scimBaseUrl(),
            credentials,
            connection.of(session)));
  }

  /** The connection panel's figures, for the page's refresh every few seconds. */
  @GET
  @Path("connection")
  @Produces(MediaType.APPLICATION_JSON)
  public Connection connection(@Context HttpHeaders headers) {
    return connection.of(sessions.require(headers));
  }

  @POST
  @Path("credentials")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance generate(@Context HttpHeaders headers) {
    CustomerSession session = sessions.require(headers);
    IssuedCredential issued = registry.issue(session);
    LOG.infof(
        "tenant %s: credential %s generated from the console", session.tenantId(), issued.id());
    return secretPage(session, issued, false);
  }

  @POST
  @Path("credentials/{id}/rotate")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance rotate(@Context HttpHeaders headers, @PathParam("id") String id) {
    CustomerSession session = sessions.require(headers);
    IssuedCredential issued = registry.rotate(session, credentialId(id));
    LOG.infof(
        "tenant %s: credential %s rotated to %s from the console",
        session.tenantId(), id, issued.id());
    return secretPage(session, issued, true);
  }

  /** Without {@code confirm=yes}, asks first; with it, revokes and returns to the setup page. */
  @POST
  @Path("credentials/{id}/revoke")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  public Response revoke(
      @Context HttpHeaders headers,
      @PathParam("id") String id,
      @FormParam("confirm") String confirm) {
    CustomerSession session = sessions.require(headers);
    String credentialId = credentialId(id);
    if (!"yes".equals(confirm)) {
      return Response.ok(Templates.revoke(new RevokePage(session.displayName(), credentialId)))
          .build();
    }
    registry.revoke(session, credentialId);
    LOG.infof("tenant %s: credential %s revoked from the console", session.tenantId(), id);
    return Response.status(Response.Status.SEE_OTHER)
        .header("Location", "/console/tenant/setup")
        .build();
  }

  private TemplateInstance secretPage(
      CustomerSession session, IssuedCredential issued, boolean rotated) {
    return Templates.secret(
        new SecretPage(
            session.displayName(),
            issued.id(),
            issued.secret(),
            issued.expiresAt() == null ? "never" : Format.time(issued.expiresAt()),
            rotated,
            config.scimBaseUrl()));
  }

  private static String credentialId(String id) {
    if (id == null || !CREDENTIAL_ID.matcher(id).matches()) {
      throw new BadInput("That is not a token of your account.");
    }
    return id;
  }
}
