package io.provisioninghub.registry.tenants;

import io.provisioninghub.registry.tenants.TenantSchemaService.ExtensionSettings;
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
 * {@code /admin/v1/tenants/{id}/schemas}: the tenant's own SCIM extension schemas and its strict
 * mode, as one document replaced as a whole (docs/adr/0012).
 */
@Path("/admin/v1/tenants/{id}/schemas")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("provisioning-admin")
@SecurityRequirement(name = "admin")
@Blocking
public class TenantSchemasResource {

  private final TenantSchemaService service;

  public TenantSchemasResource(TenantSchemaService service) {
    this.service = service;
  }

  @GET
  @Operation(summary = "The tenant's extension schemas and whether it is strict about others")
  public ExtensionSettings get(@PathParam("id") String id) {
    return service.get(id);
  }

  @PUT
  @Operation(
      summary =
          "Declare the tenant's extension schemas (replacing those declared before) and strict"
              + " mode; gateways serve and enforce them within seconds")
  public ExtensionSettings put(@PathParam("id") String id, ExtensionSettings settings) {
    return service.replace(id, settings);
  }
}
