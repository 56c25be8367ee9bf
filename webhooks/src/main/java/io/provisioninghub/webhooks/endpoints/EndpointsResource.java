package io.provisioninghub.webhooks.endpoints;

import io.provisioninghub.support.http.ApiError;
import io.provisioninghub.webhooks.delivery.DeliveryLog;
import io.provisioninghub.webhooks.endpoints.EndpointService.EndpointRequest;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@code /admin/v1/webhooks/endpoints}: the vendor's webhook endpoints and their delivery log. */
@Path("/admin/v1/webhooks/endpoints")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("provisioning-admin")
@Blocking
public class EndpointsResource {

  private final EndpointService endpoints;
  private final DeliveryLog log;

  public EndpointsResource(EndpointService endpoints, DeliveryLog log) {
    this.endpoints = endpoints;
    this.log = log;
  }

  /** Registers an endpoint; the answer carries its secret, the only time it is shown. */
  @POST
  public Response create(EndpointRequest request) {
    return Response.status(201).entity(endpoints.create(request)).build();
  }

  @GET
  public List<Endpoint> list(@QueryParam("tenantId") String tenantId) {
    return endpoints.list(Optional.ofNullable(tenantId));
  }

  @GET
  @Path("/{id}")
  public Endpoint get(@PathParam("id") String id) {
    return endpoints.get(uuid(id));
  }

  @PATCH
  @Path("/{id}")
  public Endpoint change(@PathParam("id") String id, EndpointRequest request) {
    return endpoints.change(uuid(id), request);
  }

  @DELETE
  @Path("/{id}")
  public Response delete(@PathParam("id") String id) {
    endpoints.delete(uuid(id));
    return Response.noContent().build();
  }

  /** A new secret, shown once; the previous one still signs for the overlap window. */
  @POST
  @Path("/{id}/rotate-secret")
  public Endpoint rotate(@PathParam("id") String id) {
    return endpoints.rotate(uuid(id));
  }

  /** The delivery log, newest first: each delivery with its attempts. */
  @GET
  @Path("/{id}/deliveries")
  public DeliveryLog.Page deliveries(
      @PathParam("id") String id,
      @QueryParam("status") String status,
      @QueryParam("eventId") String eventId,
      @QueryParam("before") Long before,
      @QueryParam("limit") Integer limit) {
    UUID endpoint = uuid(id);
    endpoints.get(endpoint);
    if (status != null && !List.of("pending", "delivered", "failed").contains(status)) {
      throw ApiError.badRequest("status is one of pending, delivered, failed");
    }
    int size = limit == null ? 50 : limit;
    if (size < 1 || size > 500) {
      throw ApiError.badRequest("limit must be between 1 and 500");
    }
    return log.page(
        endpoint, Optional.ofNullable(status), Optional.ofNullable(eventId), before, size);
  }

  /**
   * Sends one event again, or every event of a time range: {@code eventId}, or {@code from}/{@code
   * to}.
   */
  @POST
  @Path("/{id}/redeliver")
  public Map<String, Object> redeliver(@PathParam("id") String id, Map<String, String> body) {
    UUID endpoint = uuid(id);
    endpoints.get(endpoint);
    if (body == null || (body.get("eventId") == null && body.get("from") == null)) {
      throw ApiError.badRequest("send {\"eventId\": ...} or {\"from\": ..., \"to\": ...}");
    }
    int queued;
    if (body.get("eventId") != null) {
      queued = log.redeliver(endpoint, body.get("eventId"));
    } else {
      queued =
          log.redeliver(
              endpoint,
              instant(body.get("from")),
              body.get("to") == null ? Instant.now() : instant(body.get("to")));
    }
    return Map.of("queued", queued);
  }

  private static Instant instant(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest(
          "'" + value + "' is not an RFC 3339 UTC time, e.g. 2026-12-01T00:00:00Z");
    }
  }

  private static UUID uuid(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiError.notFound("no webhook endpoint " + id);
    }
  }
}
