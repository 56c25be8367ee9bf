package io.provisioninghub.audit.query;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The support API over one tenant's audited operations; every path is scoped to one tenant. Each
 * request is first checked against the tenants the token may read and recorded ({@link
 * SupportAccess}).
 */
@Path("/audit/v1/tenants/{tenantId}")
@RolesAllowed("support")
@Blocking
@Tag(name = "operations", description = "Audited SCIM operations of one tenant")
public class OperationsResource {

  private static final Logger LOG = Logger.getLogger(OperationsResource.class);

  private final AuditQueryService service;
  private final OperationRepository repository;
  private final SupportAccess access;

  @Context UriInfo uri;

  public OperationsResource(
      AuditQueryService service, OperationRepository repository, SupportAccess access) {
    this.service = service;
    this.repository = repository;
    this.access = access;
  }

  /** Checks and records this request before anything is read. */
  private void authorize(String tenantId, String action, String query) throws SQLException {
    OperationFilter.requireTenant(tenantId);
    access.authorize(tenantId, action, query);
  }

  private String query() {
    return uri == null ? null : uri.getRequestUri().getRawQuery();
  }

  @GET
  @Path("/operations")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "List a tenant's operations, newest first, with cursor pagination")
  public OperationPage list(
      @PathParam("tenantId") String tenantId,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("status") String status,
      @QueryParam("operation") String operation,
      @QueryParam("resourceType") String resourceType,
      @QueryParam("target") String target,
      @QueryParam("targetPrefix") String targetPrefix,
      @QueryParam("httpStatus") String httpStatus,
      @QueryParam("scimType") String scimType,
      @QueryParam("source") String source,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") String limit)
      throws SQLException {
    authorize(tenantId, "operations.list", query());
    OperationFilter filter =
        OperationFilter.parse(
            tenantId,
            from,
            to,
            status,
            operation,
            resourceType,
            target,
            targetPrefix,
            httpStatus,
            scimType,
            source);
    return service.list(filter, cursor, limit);
  }

  @GET
  @Path("/operations/{commandId}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "One operation in full, with its redacted request body")
  public OperationView get(
      @PathParam("tenantId") String tenantId, @PathParam("commandId") String commandId)
      throws SQLException {
    authorize(tenantId, "operations.get", "commandId=" + commandId);
    return service.get(tenantId, commandId);
  }

  @GET
  @Path("/summary")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "Counts by status and operation, top failure reasons, failure rate against the"
              + " quarantine threshold (default range: the last 24 hours)")
  public TenantSummary summary(
      @PathParam("tenantId") String tenantId,
      @QueryParam("from") String from,
      @QueryParam("to") String to)
      throws SQLException {
    authorize(tenantId, "summary", query());
    return service.summary(tenantId, from, to);
  }

  @GET
  @Path("/operations/export")
  @Produces({"application/x-ndjson", "text/csv"})
  @Operation(summary = "Stream every matching operation as NDJSON or CSV, newest first")
  public Response export(
      @PathParam("tenantId") String tenantId,
      @QueryParam("format") String format,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("status") String status,
      @QueryParam("operation") String operation,
      @QueryParam("resourceType") String resourceType,
      @QueryParam("target") String target,
      @QueryParam("targetPrefix") String targetPrefix,
      @QueryParam("httpStatus") String httpStatus,
      @QueryParam("scimType") String scimType,
      @QueryParam("source") String source)
      throws SQLException {
    authorize(tenantId, "operations.export", query());
    // Validate everything before the first byte: once streaming, the status is sent.
    ExportFormat exportFormat = ExportFormat.parse(format);
    OperationFilter filter =
        OperationFilter.parse(
            tenantId,
            from,
            to,
            status,
            operation,
            resourceType,
            target,
            targetPrefix,
            httpStatus,
            scimType,
            source);
    StreamingOutput body = out -> write(exportFormat, filter, out);
    String extension = exportFormat == ExportFormat.CSV ? "csv" : "ndjson";
    return Response.ok(body, exportFormat.mediaType() + "; charset=utf-8")
        .header("Content-Disposition", "attachment; filename=\"operations." + extension + "\"")
        .build();
  }

  private void write(ExportFormat format, OperationFilter filter, OutputStream out)
      throws IOException {
    try {
      if (format.header() != null) {
        out.write(format.header().getBytes(StandardCharsets.UTF_8));
      }
      repository.stream(
          filter,
          service.exportMaxRows(),
          row -> out.write(format.line(row).getBytes(StandardCharsets.UTF_8)));
      out.flush();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      LOG.error("export failed after it started; the response is truncated", e);
      throw new IOException("export failed", e);
    }
  }
}
