package io.provisioninghub.audit.query;

import io.provisioninghub.audit.error.BadRequest;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Who read what through the support API: for auditors and admins, newest first. */
@Path("/audit/v1/access-log")
@RolesAllowed({SupportAccess.AUDITOR_ROLE, "provisioning-admin"})
@Blocking
@Tag(name = "access-log", description = "Every read and export of the support API")
public class AccessLogResource {

  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 500;

  /** A page of records; pass {@code nextBefore} as {@code before} for the next one. */
  public record Page(List<AccessRecord> items, Long nextBefore) {}

  private final AccessRepository repository;
  private final SupportAccess access;

  public AccessLogResource(AccessRepository repository, SupportAccess access) {
    this.repository = repository;
    this.access = access;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Support API accesses, newest first (tenant, subject, before, limit)")
  public Page list(
      @QueryParam("tenant") String tenant,
      @QueryParam("subject") String subject,
      @QueryParam("before") String before,
      @QueryParam("limit") String limit,
      @Context UriInfo uri)
      throws SQLException {
    int size = DEFAULT_LIMIT;
    if (limit != null && !limit.isBlank()) {
      size = (int) Math.min(Integer.MAX_VALUE, parse(limit, "limit"));
      if (size < 1 || size > MAX_LIMIT) {
        throw new BadRequest("limit", "limit must be 1-" + MAX_LIMIT);
      }
    }
    Long beforeId = before == null || before.isBlank() ? null : parse(before, "before");
    String tenantId = blankToNull(tenant);
    access.recordAccessLogRead(tenantId, uri.getRequestUri().getRawQuery());
    List<AccessRecord> rows = repository.list(tenantId, blankToNull(subject), beforeId, size + 1);
    if (rows.size() <= size) {
      return new Page(rows, null);
    }
    List<AccessRecord> page = List.copyOf(rows.subList(0, size));
    return new Page(page, page.get(size - 1).id());
  }

  private static long parse(String value, String name) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new BadRequest(name, name + " must be a number");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
