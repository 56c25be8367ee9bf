package io.provisioninghub.gateway.resources;

import io.provisioninghub.gateway.auth.CurrentTenant;
import io.provisioninghub.gateway.http.ClientRequestIds;
import io.provisioninghub.gateway.http.PublicLinks;
import io.provisioninghub.gateway.http.ScimMediaType;
import io.provisioninghub.scim.error.ResourceNotFoundException;
import io.provisioninghub.scim.schema.ResourceKind;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The behaviour shared by {@code /Users} and {@code /Groups}; the JAX-RS classes only bind HTTP to
 * it.
 */
public class ResourceEndpoint {

  /**
   * Page size when {@code count} is not given, unless {@code phub.gateway.list.max-results} is
   * smaller ({@link #defaultCount}).
   */
  public static final int DEFAULT_COUNT = 100;

  /** The page size when {@code count} is not given, under a page cap of {@code maxResults}. */
  public static int defaultCount(int maxResults) {
    return Math.min(DEFAULT_COUNT, maxResults);
  }

  private final ResourceKind kind;
  private final ScimReads reads;
  private final ScimWrites writes;
  private final CurrentTenant tenant;
  private final PublicLinks links;

  public ResourceEndpoint(
      ResourceKind kind,
      ScimReads reads,
      ScimWrites writes,
      CurrentTenant tenant,
      PublicLinks links) {
    this.kind = kind;
    this.reads = reads;
    this.writes = writes;
    this.tenant = tenant;
    this.links = links;
  }

  public Uni<Response> create(byte[] body, HttpServerRequest http, HttpHeaders headers) {
    return writes.create(tenant.get(), kind, body, request(http, headers));
  }

  public Uni<Response> replace(
      String id, byte[] body, HttpServerRequest http, HttpHeaders headers) {
    return writes.replace(tenant.get(), kind, id, body, request(http, headers));
  }

  public Uni<Response> patch(String id, byte[] body, HttpServerRequest http, HttpHeaders headers) {
    return writes.patch(tenant.get(), kind, id, body, request(http, headers));
  }

  public Uni<Response> delete(String id, HttpServerRequest http, HttpHeaders headers) {
    return writes.delete(tenant.get(), kind, id, request(http, headers));
  }

  public Uni<Response> get(
      String id,
      String attributes,
      String excludedAttributes,
      HttpServerRequest http,
      HttpHeaders headers) {
    String ifNoneMatch = headers.getHeaderString(HttpHeaders.IF_NONE_MATCH);
    return reads
        .find(tenant.get(), kind, id, links.scimBase(http), attributes, excludedAttributes)
        .map(
            found -> {
              Rendered r =
                  found.orElseThrow(
                      () ->
                          new ResourceNotFoundException(
                              "no "
                                  + (kind == ResourceKind.USER ? "user" : "group")
                                  + " with id '"
                                  + id
                                  + "'"));
              if (Versions.noneMatchHits(ifNoneMatch, r.version())) {
                return Response.notModified().header("ETag", Versions.etag(r.version())).build();
              }
              return Response.ok(r.json(), ScimMediaType.SCIM_JSON)
                  .header("ETag", Versions.etag(r.version()))
                  .build();
            });
  }

  public Uni<Response> list(ListQuery query, HttpServerRequest http) {
    return reads
        .list(tenant.get(), kind, query, links.scimBase(http))
        .map(json -> Response.ok(json, ScimMediaType.SCIM_JSON).build());
  }

  private ScimWrites.Request request(HttpServerRequest http, HttpHeaders headers) {
    return new ScimWrites.Request(
        links.scimBase(http),
        headers.getHeaderString(HttpHeaders.IF_MATCH),
        ClientRequestIds.from(headers));
  }
}
