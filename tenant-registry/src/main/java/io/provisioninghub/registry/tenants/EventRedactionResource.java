package io.provisioninghub.registry.tenants;

import io.provisioninghub.registry.tenants.EventRedactionService.EventRedaction;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * {@code /admin/v1/tenants/{id}/event-redaction}: the attributes whose values the tenant's
 * provisioning events leave out (docs/events.md), replaced as a whole.
 */
@Path("/admin/v1/tenants/{id}/event-redaction")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("provisioning-admin")
@SecurityRequirement(name = "admin")
@Blocking
public class EventRedactionResource {

  private final EventRedactionService service;

  public EventRedactionResource(EventRedactionService service) {
    this.service = service;
  }

  @GET
  @Operation(summary = "The attributes whose values the tenant's events leave out")
  public EventRedaction get(@PathParam("id") String id) {
    return service.get(id);
  }

  @PUT
  @Operation(
      summary =
          "Set the attributes whose values the tenant's events leave out (replacing the list);"
              + " applies to writes accepted from then on")
  public EventRedaction put(@PathParam("id") String id, EventRedaction body) {
    return service.replace(id, body);
  }
}
