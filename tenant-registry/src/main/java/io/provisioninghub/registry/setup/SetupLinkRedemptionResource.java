package io.provisioninghub.registry.setup;

import io.provisioninghub.registry.error.Problem;
import io.provisioninghub.registry.setup.SetupLinkApi.Redeemed;
import io.provisioninghub.registry.setup.SetupLinkApi.Redemption;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * {@code /admin/v1/setup-links/redeem}: the console, with its own service token, redeems the link a
 * customer's admin opened. A refusal's problem body carries a {@code type} the console switches on.
 */
@Path("/admin/v1/setup-links")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("provisioning-admin")
@SecurityRequirement(name = "admin")
@Blocking
public class SetupLinkRedemptionResource {

  private static final String TYPE = "problem type " + Problem.TYPE_PREFIX;

  private final SetupLinkService service;

  public SetupLinkRedemptionResource(SetupLinkService service) {
    this.service = service;
  }

  @POST
  @Path("redeem")
  @Operation(
      summary =
          "Redeem a setup link once: the first redemption answers its tenant, every later one is"
              + " refused")
  @APIResponse(
      responseCode = "200",
      description = "redeemed now: open a session scoped to this tenant",
      content = @Content(schema = @Schema(implementation = Redeemed.class)))
  @APIResponse(
      responseCode = "400",
      description = "no body, or the token is not a setup link's secret (phub_setup_...)",
      content = @Content(schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "404",
      description = TYPE + "setup-link-unknown: no link has this token",
      content = @Content(schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "410",
      description =
          TYPE
              + "setup-link-redeemed, setup-link-expired, setup-link-revoked, or"
              + " tenant-not-active (suspended or being deleted)",
      content = @Content(schema = @Schema(implementation = Problem.class)))
  public Redeemed redeem(Redemption request) {
    return service.redeem(request);
  }
}
