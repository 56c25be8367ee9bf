package io.provisioninghub.gateway.users;

import io.provisioninghub.gateway.auth.CurrentTenant;
import io.provisioninghub.gateway.http.ClientRequestIds;
import io.provisioninghub.gateway.http.ScimJson;
import io.provisioninghub.gateway.http.ScimMediaType;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/** {@code /scim/v2/Users} (RFC 7644 section 3). */
@Path("/scim/v2/Users")
@Produces({ScimMediaType.SCIM_JSON, MediaType.APPLICATION_JSON})
public class UsersResource {

  private final UserService users;
  private final CurrentTenant tenant;

  public UsersResource(UserService users, CurrentTenant tenant) {
    this.users = users;
    this.tenant = tenant;
  }

  @POST
  @Consumes({ScimMediaType.SCIM_JSON, MediaType.APPLICATION_JSON})
  public Uni<Response> create(byte[] body, @Context UriInfo uri, @Context HttpHeaders headers) {
    return users
        .create(tenant.get(), ScimJson.object(body), ClientRequestIds.from(headers))
        .map(created -> ScimJson.resource(201, created.resource(), location(uri, created.id())));
  }

  @GET
  @Path("{id}")
  public Uni<Response> get(@PathParam("id") String id, @Context UriInfo uri) {
    return users.get(tenant.get(), id).map(user -> ScimJson.resource(200, user, location(uri, id)));
  }

  private static URI location(UriInfo uri, String id) {
    return uri.getBaseUriBuilder().path("scim/v2/Users").path(id).build();
  }
}
