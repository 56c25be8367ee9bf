package io.provisioninghub.gateway.app;

import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.gateway.app.AppReads.Kind;
import io.provisioninghub.gateway.auth.TenantView;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ForbiddenException;
import io.provisioninghub.scim.error.ResourceNotFoundException;
import io.provisioninghub.scim.error.ScimType;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code /app/v1}: what the vendor's own application reads of one tenant (docs/app-api.md), with
 * its own credential: a JWT of the application's issuer with the role {@code provisioning-app},
 * optionally limited to some tenants by a {@code tenants} claim. Users and groups with keyset
 * cursor paging and {@code updatedSince}, a user's groups, a group's members, and the tenant's
 * events feed.
 */
@Path("/app/v1/tenants/{tenantId}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AppApiResource.ROLE)
public class AppApiResource {

  /** The role an application token must carry in {@code groups}. */
  public static final String ROLE = "provisioning-app";

  /** The optional claim listing the tenants a token may read; absent: every tenant. */
  public static final String TENANTS_CLAIM = "tenants";

  private final AppReads reads;
  private final TenantView tenants;
  private final JsonWebToken token;
  private final GatewayConfig.App config;

  public AppApiResource(
      AppReads reads, TenantView tenants, JsonWebToken token, GatewayConfig config) {
    this.reads = reads;
    this.tenants = tenants;
    this.token = token;
    this.config = config.app();
  }

  @GET
  @Path("/users")
  public Uni<String> users(
      @PathParam("tenantId") String tenant,
      @QueryParam("updatedSince") String updatedSince,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    return reads
        .list(allowed(tenant), Kind.USERS, since(updatedSince), cursor, limit(limit))
        .map(AppPage::json);
  }

  @GET
  @Path("/users/{id}")
  public Uni<String> user(@PathParam("tenantId") String tenant, @PathParam("id") String id) {
    return reads.get(allowed(tenant), Kind.USERS, uuid(id, "user")).map(Object::toString);
  }

  @GET
  @Path("/users/{id}/groups")
  public Uni<String> groupsOfUser(
      @PathParam("tenantId") String tenant,
      @PathParam("id") String id,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    return reads
        .groupsOf(allowed(tenant), uuid(id, "user"), cursor, limit(limit))
        .map(AppPage::json);
  }

  @GET
  @Path("/groups")
  public Uni<String> groups(
      @PathParam("tenantId") String tenant,
      @QueryParam("updatedSince") String updatedSince,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    return reads
        .list(allowed(tenant), Kind.GROUPS, since(updatedSince), cursor, limit(limit))
        .map(AppPage::json);
  }

  @GET
  @Path("/groups/{id}")
  public Uni<String> group(@PathParam("tenantId") String tenant, @PathParam("id") String id) {
    return reads.get(allowed(tenant), Kind.GROUPS, uuid(id, "group")).map(Object::toString);
  }

  @GET
  @Path("/groups/{id}/members")
  public Uni<String> membersOfGroup(
      @PathParam("tenantId") String tenant,
      @PathParam("id") String id,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    return reads
        .membersOf(allowed(tenant), uuid(id, "group"), cursor, limit(limit))
        .map(AppPage::json);
  }

  @GET
  @Path("/events")
  public Uni<String> events(
      @PathParam("tenantId") String tenant,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    return reads.events(allowed(tenant), cursor, limit(limit)).map(AppPage::json);
  }

  /**
   * The tenant, if this token may read it and the gateway knows it. A tenant outside the token's
   * {@code tenants} claim is 403 whether or not it exists, so a token cannot probe for tenants.
   */
  private String allowed(String tenant) {
    Object claim = token.getClaim(TENANTS_CLAIM);
    if (claim != null && !listed(claim, tenant)) {
      throw new ForbiddenException("this application token may not read tenant '" + tenant + "'");
    }
    if (tenants.tenant(tenant).isEmpty()) {
      throw new ResourceNotFoundException("no tenant '" + tenant + "'");
    }
    return tenant;
  }

  private static boolean listed(Object claim, String tenant) {
    if (claim instanceof Collection<?> values) {
      return values.stream().anyMatch(v -> tenant.equals(unquote(v)));
    }
    if (claim instanceof jakarta.json.JsonArray array) {
      return array.stream().anyMatch(v -> tenant.equals(unquote(v)));
    }
    return tenant.equals(unquote(claim));
  }

  private static String unquote(Object value) {
    if (value instanceof jakarta.json.JsonString s) {
      return s.getString();
    }
    return String.valueOf(value);
  }

  private int limit(Integer limit) {
    if (limit == null) {
      return config.defaultPageSize();
    }
    if (limit < 1 || limit > config.maxPageSize()) {
      throw new BadRequestException(
          ScimType.invalidValue, "limit must be between 1 and " + config.maxPageSize());
    }
    return limit;
  }

  private static Optional<OffsetDateTime> since(String updatedSince) {
    if (updatedSince == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(updatedSince));
    } catch (DateTimeParseException e) {
      throw new BadRequestException(
          ScimType.invalidValue,
          "updatedSince must be an RFC 3339 date-time with an offset, e.g."
              + " 2026-12-01T00:00:00Z");
    }
  }

  private static UUID uuid(String id, String what) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new ResourceNotFoundException("no " + what + " " + id + " in this tenant");
    }
  }
}
