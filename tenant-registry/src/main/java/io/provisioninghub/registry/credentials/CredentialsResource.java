package io.provisioninghub.registry.credentials;

import io.provisioninghub.registry.credentials.CredentialApi.CredentialView;
import io.provisioninghub.registry.credentials.CredentialApi.IssuedCredential;
import io.provisioninghub.registry.credentials.CredentialApi.NewCredential;
import io.provisioninghub.registry.credentials.CredentialApi.Rotation;
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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** {@code /admin/v1/tenants/{id}/credentials}: the SCIM bearer secrets of one tenant. */
@Path("/admin/v1/tenants/{tenantId}/credentials")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("provisioning-admin")
@SecurityRequirement(name = "admin")
@Blocking
public class CredentialsResource {

  private final CredentialService service;

  public CredentialsResource(CredentialService service) {
    this.service = service;
  }

  @POST
  @Operation(summary = "Issue a bearer secret; the answer is the only time it is shown")
  public Response issue(@PathParam("tenantId") String tenantId, NewCredential request) {
    return secret(service.issue(tenantId, request));
  }

  @GET
  @Operation(summary = "Metadata of the tenant's credentials (never secrets)")
  public List<CredentialView> list(@PathParam("tenantId") String tenantId) {
    return service.list(tenantId);
  }

  @POST
  @Path("{credentialId}/rotate")
  @Operation(summary = "Issue a successor; the old one stays valid for a grace period")
  public Response rotate(
      @PathParam("tenantId") String tenantId,
      @PathParam("credentialId") String credentialId,
      Rotation request) {
    return secret(service.rotate(tenantId, credentialId, request));
  }

  @POST
  @Path("{credentialId}/revoke")
  @Operation(summary = "Stop accepting this credential (gateways refuse it within seconds)")
  public CredentialView revoke(
      @PathParam("tenantId") String tenantId, @PathParam("credentialId") String credentialId) {
    return service.revoke(tenantId, credentialId);
  }

  private static Response secret(IssuedCredential issued) {
    return Response.status(201).header("Cache-Control", "no-store").entity(issued).build();
  }
}
