package io.provisioninghub.registry.changes;

import static io.provisioninghub.registry.error.RegistryException.badRequest;

import io.provisioninghub.registry.Db;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** {@code /admin/v1/changes}: who changed what through the admin API, newest first. */
@Path("/admin/v1/changes")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("provisioning-admin")
@SecurityRequirement(name = "admin")
@Blocking
public class AdminChangesResource {

  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 500;

  /** A page of changes; {@code nextBefore} is passed as {@code before} for the next page. */
  public record Page(List<AdminChange> items, Long nextBefore) {}

  private final Db db;
  private final AdminChangeLog log;

  public AdminChangesResource(Db db, AdminChangeLog log) {
    this.db = db;
    this.log = log;
  }

  @GET
  @Operation(summary = "Admin changes with their principal, newest first (tenant, before, limit)")
  public Page list(
      @QueryParam("tenant") String tenant,
      @QueryParam("before") String before,
      @QueryParam("limit") String limit) {
    int size = number(limit, "limit", DEFAULT_LIMIT);
    if (size < 1 || size > MAX_LIMIT) {
      throw badRequest("limit must be 1-" + MAX_LIMIT);
    }
    Long beforeId = null;
    if (before != null && !before.isBlank()) {
      try {
        beforeId = Long.parseLong(before.trim());
      } catch (NumberFormatException e) {
        throw badRequest("before must be a number (nextBefore of the previous page)");
      }
    }
    Long after = beforeId;
    List<AdminChange> rows =
        db.inTransaction(c -> log.list(c, blankToNull(tenant), after, size + 1));
    if (rows.size() <= size) {
      return new Page(rows, null);
    }
    List<AdminChange> page = List.copyOf(rows.subList(0, size));
    return new Page(page, page.get(size - 1).id());
  }

  private static int number(String value, String name, int otherwise) {
    if (value == null || value.isBlank()) {
      return otherwise;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw badRequest(name + " must be a number");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
