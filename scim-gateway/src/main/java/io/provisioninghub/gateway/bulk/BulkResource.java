package io.provisioninghub.gateway.bulk;

import io.provisioninghub.gateway.auth.CurrentTenant;
import io.provisioninghub.gateway.http.ClientRequestIds;
import io.provisioninghub.gateway.http.PublicLinks;
import io.provisioninghub.gateway.http.ScimMediaType;
import io.provisioninghub.gateway.resources.ScimWrites;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /scim/v2/Bulk} (RFC 7644 section 3.7); {@link BulkService} does the work. */
@Path("/scim/v2/Bulk")
@Produces({ScimMediaType.SCIM_JSON, MediaType.APPLICATION_JSON})
@Consumes({ScimMediaType.SCIM_JSON, MediaType.APPLICATION_JSON})
public class BulkResource {

  private final BulkService bulk;
  private final CurrentTenant tenant;
  private final PublicLinks links;

  public BulkResource(BulkService bulk, CurrentTenant tenant, PublicLinks links) {
    this.bulk = bulk;
    this.tenant = tenant;
    this.links = links;
  }

  @POST
  public Uni<Response> bulk(
      byte[] body, @Context HttpServerRequest http, @Context HttpHeaders headers) {
    return bulk.run(
        tenant.get(),
        body,
        new ScimWrites.Request(links.scimBase(http), null, ClientRequestIds.from(headers)));
  }
}
