package io.provisioninghub.registry.signin;

import io.provisioninghub.registry.signin.ConsoleSignInApi.ConsoleSignInClient;
import io.provisioninghub.registry.signin.ConsoleSignInApi.ConsoleSignInInput;
import io.provisioninghub.registry.signin.ConsoleSignInApi.ConsoleSignInView;
import io.quarkus.security.identity.SecurityIdentity;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * {@code /admin/v1/tenants/{id}/console-sign-in}: the customer's own OpenID Connect provider that
 * signs its admins in to the console, as an alternative to a setup link.
 */
@Path("/admin/v1/tenants/{tenantId}/console-sign-in")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("provisioning-admin")
@SecurityRequirement(name = "admin")
@Blocking
public class ConsoleSignInResource {

  private final ConsoleSignInService service;
  private final SecurityIdentity identity;

  public ConsoleSignInResource(ConsoleSignInService service, SecurityIdentity identity) {
    this.service = service;
    this.identity = identity;
  }

  @PUT
  @Operation(
      summary =
          "Set the tenant's console sign-in: issuer, client id, client secret (stored encrypted)"
              + " and an optional required claim")
  @APIResponse(responseCode = "200", description = "the settings, without the secret")
  @APIResponse(responseCode = "400", description = "a missing or invalid value")
  @APIResponse(responseCode = "404", description = "no such tenant")
  public ConsoleSignInView set(@PathParam("tenantId") String tenantId, ConsoleSignInInput input) {
    return service.set(tenantId, input);
  }

  @GET
  @Operation(summary = "The tenant's console sign-in, without the secret")
  @APIResponse(responseCode = "404", description = "no such tenant, or no sign-in configured")
  public ConsoleSignInView get(@PathParam("tenantId") String tenantId) {
    return service.get(tenantId);
  }

  @DELETE
  @Operation(summary = "Remove the tenant's console sign-in; setup links still work")
  @APIResponse(responseCode = "204", description = "removed")
  @APIResponse(responseCode = "404", description = "no such tenant, or no sign-in configured")
  public Response remove(@PathParam("tenantId") String tenantId) {
    service.remove(tenantId);
    return Response.noContent().build();
  }

  @GET
  @Path("client")
  @Operation(
      summary =
          "For the console only (its own admin token, subject console:sign-in): the settings"
              + " with the decrypted client secret")
  @APIResponse(responseCode = "403", description = "any other caller")
  @APIResponse(responseCode = "409", description = "the tenant is not active")
  public Response client(@PathParam("tenantId") String tenantId) {
    ConsoleSignInClient client = service.forConsole(tenantId, identity.getPrincipal().getName());
    return Response.ok(client).header("Cache-Control", "no-store").build();
  }
}
