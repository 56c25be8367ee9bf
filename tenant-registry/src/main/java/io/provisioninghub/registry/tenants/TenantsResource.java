package io.provisioninghub.registry.tenants;

import io.provisioninghub.registry.tenants.TenantApi.NewTenant;
import io.provisioninghub.registry.tenants.TenantApi.OAuthTrustInput;
import io.provisioninghub.registry.tenants.TenantApi.TenantChanges;
import io.provisioninghub.registry.tenants.TenantApi.TenantView;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** {@code /admin/v1/tenants}: the operator's view of tenants. */
@Path("/admin/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("provisioning-admin")
@SecurityRequirement(name = "admin")
@Blocking
public class TenantsResource {

  private final TenantService service;

  public TenantsResource(TenantService service) {
    this.service = service;
  }

  @POST
  @Operation(summary = "Onboard a tenant (active, default rate limit unless given)")
  public Response create(NewTenant request) {
    TenantView created = service.create(request);
    return Response.created(URI.create("/admin/v1/tenants/" + created.id()))
        .entity(created)
        .build();
  }

  @GET
  @Operation(summary = "All tenants")
  public List<TenantView> list() {
    return service.list();
  }

  @GET
  @Path("{id}")
  @Operation(summary = "One tenant")
  public TenantView get(@PathParam("id") String id) {
    return service.get(id);
  }

  @PATCH
  @Path("{id}")
  @Operation(summary = "Change display name, IdP tenant id, rate limit or password policy")
  public TenantView change(@PathParam("id") String id, TenantChanges changes) {
    return service.change(id, changes);
  }

  @PUT
  @Path("{id}/oauth-trust")
  @Operation(summary = "Trust JWTs of this issuer and audience as this tenant")
  public TenantView setOAuthTrust(@PathParam("id") String id, OAuthTrustInput trust) {
    return service.setOAuthTrust(id, trust);
  }

  @DELETE
  @Path("{id}/oauth-trust")
  @Operation(summary = "Stop trusting JWTs for this tenant")
  public TenantView removeOAuthTrust(@PathParam("id") String id) {
    return service.removeOAuthTrust(id);
  }

  @POST
  @Path("{id}/suspend")
  @Operation(summary = "Refuse every request of this tenant until resumed")
  public TenantView suspend(@PathParam("id") String id) {
    return service.suspend(id);
  }

  @POST
  @Path("{id}/resume")
  @Operation(summary = "Accept the tenant's requests again")
  public TenantView resume(@PathParam("id") String id) {
    return service.resume(id);
  }

  @DELETE
  @Path("{id}")
  @Operation(
      summary =
          "Delete the tenant, its credentials and all its SCIM data (202: the tenant is DELETING"
              + " until its data is purged, then gone and its id free again)")
  public Response delete(@PathParam("id") String id) {
    return Response.accepted(service.delete(id)).build();
  }
}
