package io.provisioninghub.gateway.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.PasswordPolicy;
import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.gateway.auth.CurrentTenant;
import io.provisioninghub.gateway.auth.Tenant;
import io.provisioninghub.gateway.http.PublicLinks;
import io.provisioninghub.gateway.http.ScimJson;
import io.provisioninghub.gateway.http.ScimMediaType;
import io.provisioninghub.gateway.resources.ResourceEndpoint;
import io.provisioninghub.scim.schema.ScimSchemas;
import io.provisioninghub.scim.schema.ServiceProviderSettings;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * RFC 7644 section 4: what this service supports, its resource types and their schemas, the
 * built-in ones and the calling tenant's own extension schemas (docs/adr/0012).
 */
@Path("/scim/v2")
@Produces({ScimMediaType.SCIM_JSON, MediaType.APPLICATION_JSON})
public class DiscoveryResource {

  private final CurrentTenant tenant;
  private final PublicLinks links;
  private final ServiceProviderSettings settings;

  public DiscoveryResource(CurrentTenant tenant, PublicLinks links, GatewayConfig config) {
    this.tenant = tenant;
    this.links = links;
    ServiceProviderSettings d = ServiceProviderSettings.defaults(config.maxResults());
    // POST /Bulk with the limits it enforces (bulk.BulkService, http.BodySizeLimit).
    this.settings =
        new ServiceProviderSettings(
            d.patchSupported(),
            true,
            config.bulk().maxOperations(),
            (int) Math.min(Integer.MAX_VALUE, config.bulk().maxPayloadBytes()),
            d.filterSupported(),
            d.filterMaxResults(),
            d.changePasswordSupported(),
            d.sortSupported(),
            d.etagSupported(),
            d.authenticationSchemes(),
            d.documentationUri());
  }

  @GET
  @Path("ServiceProviderConfig")
  public Response serviceProviderConfig(@Context HttpServerRequest http) {
    Tenant caller = tenant.get();
    ObjectNode config = ScimSchemas.serviceProviderConfig(settings, links.scimBase(http));
    // A password change takes effect (as an Argon2id hash) only for a tenant whose policy is hash;
    // under ignore it is accepted and dropped (ADR 0007).
    config
        .putObject("changePassword")
        .put("supported", caller.passwordPolicy() == PasswordPolicy.HASH);
    // RFC 9865: both index and cursor paging are offered; cursors do not expire.
    ObjectNode pagination = config.putObject("pagination");
    pagination.put("cursor", true);
    pagination.put("index", true);
    pagination.put("defaultPaginationMethod", "index");
    pagination.put("defaultPageSize", ResourceEndpoint.defaultCount(settings.filterMaxResults()));
    pagination.put("maxPageSize", settings.filterMaxResults());
    return ok(ScimJson.bytes(config));
  }

  @GET
  @Path("ResourceTypes")
  public Response resourceTypes(@Context HttpServerRequest http) {
    return ok(
        ScimJson.bytes(
            ScimSchemas.resourceTypesListResponse(links.scimBase(http), tenant.get().schemas())));
  }

  @GET
  @Path("ResourceTypes/{name}")
  public Response resourceType(@PathParam("name") String name, @Context HttpServerRequest http) {
    return ok(
        ScimJson.bytes(
            ScimSchemas.resourceType(name, links.scimBase(http), tenant.get().schemas())));
  }

  @GET
  @Path("Schemas")
  public Response schemas(@Context HttpServerRequest http) {
    return ok(
        ScimJson.bytes(
            ScimSchemas.schemasListResponse(links.scimBase(http), tenant.get().schemas())));
  }

  @GET
  @Path("Schemas/{urn}")
  public Response schema(@PathParam("urn") String urn, @Context HttpServerRequest http) {
    // Only this tenant's own schemas: another tenant's URN is 404 here.
    return ok(
        ScimJson.bytes(ScimSchemas.schema(urn, links.scimBase(http), tenant.get().schemas())));
  }

  private static Response ok(byte[] body) {
    return Response.ok(body, ScimMediaType.SCIM_JSON).build();
  }
}
