package io.provisioninghub.registry.setup;

import io.provisioninghub.registry.setup.SetupLinkApi.IssuedSetupLink;
import io.provisioninghub.registry.setup.SetupLinkApi.NewSetupLink;
import io.provisioninghub.registry.setup.SetupLinkApi.SetupLinkView;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * {@code /admin/v1/tenants/{id}/setup-links}: one-time, expiring links to the console that an
 * operator hands to a customer's admin.
 */
@Path("/admin/v1/tenants/{tenantId}/setup-links")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("provisioning-admin")
@SecurityRequirement(name = "admin")
@Blocking
public class SetupLinksResource {

  private final SetupLinkService service;

  public SetupLinksResource(SetupLinkService service) {
    this.service = service;
  }

  @POST
  @Operation(
      summary =
          "Create a one-time setup link for an active tenant; the answer is the only time its URL"
              + " is shown")
  @APIResponse(
      responseCode = "201",
      description = "the link, with its URL (Cache-Control: no-store)",
      content = @Content(schema = @Schema(implementation = IssuedSetupLink.class)))
  @APIResponse(responseCode = "400", description = "validForMinutes outside 5-10080")
  @APIResponse(responseCode = "404", description = "no such tenant")
  @APIResponse(responseCode = "409", description = "the tenant is suspended or being deleted")
  public Response create(@PathParam("tenantId") String tenantId, NewSetupLink request) {
    return Response.status(201)
        .header("Cache-Control", "no-store")
        .entity(service.create(tenantId, request))
        .build();
  }

  @GET
  @Operation(summary = "The tenant's setup links, newest first, with their status (never secrets)")
  public List<SetupLinkView> list(@PathParam("tenantId") String tenantId) {
    return service.list(tenantId);
  }

  @POST
  @Path("{linkId}/revoke")
  @Operation(summary = "Revoke a setup link: it can no longer be redeemed")
  public SetupLinkView revoke(
      @PathParam("tenantId") String tenantId, @PathParam("linkId") String linkId) {
    return service.revoke(tenantId, linkId);
  }
}
