package io.provisioninghub.gateway.resources;

import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.gateway.auth.CurrentTenant;
import io.provisioninghub.gateway.http.PublicLinks;
import io.provisioninghub.gateway.http.ScimMediaType;
import io.provisioninghub.scim.schema.ResourceKind;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The HTTP binding shared by {@code /Users} and {@code /Groups} (RFC 7644 section 3); subclasses
 * name the path and the resource kind, {@link ResourceEndpoint} does the work.
 */
@Produces({ScimMediaType.SCIM_JSON, MediaType.APPLICATION_JSON})
@Consumes({ScimMediaType.SCIM_JSON, MediaType.APPLICATION_JSON})
public abstract class ScimResourceApi {

  private final ResourceEndpoint endpoint;
  private final int maxResults;

  protected ScimResourceApi(
      ResourceKind kind,
      ScimReads reads,
      ScimWrites writes,
      CurrentTenant tenant,
      PublicLinks links,
      GatewayConfig config) {
    this.endpoint = new ResourceEndpoint(kind, reads, writes, tenant, links);
    this.maxResults = config.maxResults();
  }

  @POST
  public Uni<Response> create(
      byte[] body, @Context HttpServerRequest http, @Context HttpHeaders headers) {
    return endpoint.create(body, http, headers);
  }

  @GET
  public Uni<Response> list(
      @QueryParam("filter") String filter,
      @QueryParam("sortBy") String sortBy,
      @QueryParam("sortOrder") String sortOrder,
      @QueryParam("startIndex") String startIndex,
      @QueryParam("count") String count,
      @QueryParam("attributes") String attributes,
      @QueryParam("excludedAttributes") String excludedAttributes,
      @QueryParam("cursor") String cursor,
      @Context UriInfo uri,
      @Context HttpServerRequest http) {
    return endpoint.list(
        ListQuery.of(
            filter,
            sortBy,
            sortOrder,
            startIndex,
            count,
            attributes,
            excludedAttributes,
            // An empty "cursor=" asks for the first cursor page, but binds as absent.
            cursor != null || !uri.getQueryParameters().containsKey("cursor") ? cursor : "",
            ResourceEndpoint.defaultCount(maxResults),
            maxResults),
        http);
  }

  @GET
  @Path("{id}")
  public Uni<Response> get(
      @PathParam("id") String id,
      @QueryParam("attributes") String attributes,
      @QueryParam("excludedAttributes") String excludedAttributes,
      @Context HttpServerRequest http,
      @Context HttpHeaders headers) {
    return endpoint.get(id, attributes, excludedAttributes, http, headers);
  }

  @PUT
  @Path("{id}")
  public Uni<Response> replace(
      @PathParam("id") String id,
      byte[] body,
      @Context HttpServerRequest http,
      @Context HttpHeaders headers) {
    return endpoint.replace(id, body, http, headers);
  }

  @PATCH
  @Path("{id}")
  public Uni<Response> patch(
      @PathParam("id") String id,
      byte[] body,
      @Context HttpServerRequest http,
      @Context HttpHeaders headers) {
    return endpoint.patch(id, body, http, headers);
  }

  @DELETE
  @Path("{id}")
  public Uni<Response> delete(
      @PathParam("id") String id, @Context HttpServerRequest http, @Context HttpHeaders headers) {
    return endpoint.delete(id, http, headers);
  }
}
