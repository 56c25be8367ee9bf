package io.provisioninghub.gateway.groups;

import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.gateway.auth.CurrentTenant;
import io.provisioninghub.gateway.http.PublicLinks;
import io.provisioninghub.gateway.http.ScimMediaType;
import io.provisioninghub.gateway.resources.ScimReads;
import io.provisioninghub.gateway.resources.ScimResourceApi;
import io.provisioninghub.gateway.resources.ScimWrites;
import io.provisioninghub.scim.schema.ResourceKind;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /scim/v2/Groups} (RFC 7644 section 3). */
@Produces({ScimMediaType.SCIM_JSON, MediaType.APPLICATION_JSON})
@Consumes({ScimMediaType.SCIM_JSON, MediaType.APPLICATION_JSON})
@Path("/scim/v2/Groups")
public class GroupsResource extends ScimResourceApi {

  public GroupsResource(
      ScimReads reads,
      ScimWrites writes,
      CurrentTenant tenant,
      PublicLinks links,
      GatewayConfig config) {
    super(ResourceKind.GROUP, reads, writes, tenant, links, config);
  }
}
