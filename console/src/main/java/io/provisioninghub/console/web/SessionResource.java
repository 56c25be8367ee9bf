package io.provisioninghub.console.web;

import io.provisioninghub.console.session.Sessions;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The console's entry ({@code /console}) and logout. */
@Path("/console")
public class SessionResource {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance signedOut();

    static native TemplateInstance operatorSignedOut();
  }

  private final Sessions sessions;

  public SessionResource(Sessions sessions) {
    this.sessions = sessions;
  }

  /** The console's address goes to the setup page (which asks for a session). */
  @GET
  public Response entry() {
    return Response.status(Response.Status.SEE_OTHER)
        .header("Location", "/console/tenant/setup")
        .build();
  }

  /** Ends the session in this browser: the cookie is cleared. */
  @POST
  @Path("logout")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response logout() {
    return Response.status(Response.Status.SEE_OTHER)
        .header("Location", "/console/signed-out")
        .header("Set-Cookie", sessions.clear())
        .build();
  }

  @GET
  @Path("signed-out")
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance signedOut() {
    return Templates.signedOut();
  }

  /** Where the identity provider sends an operator back after logout (outside the OIDC paths). */
  @GET
  @Path("operator-signed-out")
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance operatorSignedOut() {
    return Templates.operatorSignedOut();
  }
}
