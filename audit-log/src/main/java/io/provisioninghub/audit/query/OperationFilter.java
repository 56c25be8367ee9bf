package io.provisioninghub.audit.query;

import io.provisioninghub.audit.error.BadRequest;
import io.provisioninghub.audit.ingest.AuditOperation;
import io.provisioninghub.audit.ingest.AuditStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The filters of a tenant's operation list, validated. Every query built from it is scoped to one
 * tenant; there is no way to express "all tenants".
 */
public record OperationFilter(
    String tenantId,
    Instant from,
    Instant to,
    AuditStatus status,
    AuditOperation operation,
    String resourceType,
    String target,
    String targetPrefix,
    Integer httpStatus,
    String scimType,
    String source) {

  private static final java.util.regex.Pattern SOURCE =
      java.util.regex.Pattern.compile("[a-z][a-z-]{0,31}");

  /** Parses query parameters as the client sent them, without a source filter. */
  public static OperationFilter parse(
      String tenantId,
      String from,
      String to,
      String status,
      String operation,
      String resourceType,
      String target,
      String targetPrefix,
      String httpStatus,
      String scimType) {
    return parse(
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
        null);
  }

  /**
   * Parses query parameters as the client sent them; any bad value is a 400 naming it. {@code
   * source}: where the operations came from ({@code scim}, {@code graph}; ADR 0022).
   */
  public static OperationFilter parse(
      String tenantId,
      String from,
      String to,
      String status,
      String operation,
      String resourceType,
      String target,
      String targetPrefix,
      String httpStatus,
      String scimType,
      String source) {
    requireTenant(tenantId);
    if (present(source) && !SOURCE.matcher(source.trim()).matches()) {
      throw new BadRequest("source", "source is a source name such as scim or graph");
    }
    Instant fromAt = instant("from", from);
    Instant toAt = instant("to", to);
    if (fromAt != null && toAt != null && !fromAt.isBefore(toAt)) {
      throw new BadRequest("from", "from must be before to");
    }
    if (present(target) && present(targetPrefix)) {
      throw new BadRequest("target", "give target or targetPrefix, not both");
    }
    return new OperationFilter(
        tenantId,
        fromAt,
        toAt,
        present(status) ? status(status) : null,
        present(operation) ? operation(operation) : null,
        present(resourceType) ? resourceType(resourceType) : null,
        present(target) ? bounded("target", target) : null,
        present(targetPrefix) ? bounded("targetPrefix", targetPrefix) : null,
        present(httpStatus) ? httpStatus(httpStatus) : null,
        present(scimType) ? bounded("scimType", scimType.trim()) : null,
        present(source) ? source.trim() : null);
  }

  /** Every query names exactly one tenant. */
  public static void requireTenant(String tenantId) {
    if (tenantId == null || tenantId.isBlank() || tenantId.length() > 200) {
      throw new BadRequest("tenantId", "tenantId must be 1 to 200 characters");
    }
  }

  /** The SQL condition (after {@code where}) and its bind values, always starting with tenant. */
  public Sql where() {
    StringBuilder sql = new StringBuilder("tenant_id = ?");
    List<Object> binds = new ArrayList<>();
    binds.add(tenantId);
    if (from != null) {
      sql.append(" and received_at >= ?");
      binds.add(Sql.timestamp(from));
    }
    if (to != null) {
      sql.append(" and received_at < ?");
      binds.add(Sql.timestamp(to));
    }
    if (status != null) {
      sql.append(" and status = ?");
      binds.add(status.wireName());
    }
    if (operation != null) {
      sql.append(" and operation = ?");
      binds.add(operation.wireName());
    }
    if (resourceType != null) {
      sql.append(" and resource_type = ?");
      binds.add(resourceType);
    }
    if (target != null) {
      sql.append(" and lower(target_identity) = lower(?)");
      binds.add(target);
    }
    if (targetPrefix != null) {
      sql.append(" and lower(target_identity) like ? escape '\\'");
      binds.add(Sql.likePrefix(targetPrefix.toLowerCase(Locale.ROOT)));
    }
    if (httpStatus != null) {
      sql.append(" and http_status = ?");
      binds.add(httpStatus);
    }
    if (scimType != null) {
      sql.append(" and scim_type = ?");
      binds.add(scimType);
    }
    if (source != null) {
      sql.append(" and source = ?");
      binds.add(source);
    }
    return new Sql(sql.toString(), binds);
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  private static Instant instant(String name, String value) {
    if (!present(value)) {
      return null;
    }
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new BadRequest(
          name, name + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
    }
  }

  private static AuditStatus status(String value) {
    try {
      return AuditStatus.fromWireName(value.trim());
    } catch (IllegalArgumentException e) {
      throw new BadRequest("status", "status must be one of pending, success, failure, rejected");
    }
  }

  private static AuditOperation operation(String value) {
    try {
      return AuditOperation.fromWireName(value.trim());
    } catch (IllegalArgumentException e) {
      throw new BadRequest(
          "operation",
          "operation must be one of create, replace, patch, disable, enable, delete,"
              + " membership-add, membership-remove");
    }
  }

  private static final List<String> RESOURCE_TYPES =
      List.of("User", "Group", "Schema", "ResourceType", "ServiceProviderConfig", "Bulk");

  private static String resourceType(String value) {
    String v = value.trim();
    for (String type : RESOURCE_TYPES) {
      if (type.equalsIgnoreCase(v)) {
        return type;
      }
    }
    throw new BadRequest(
        "resourceType", "resourceType must be one of " + String.join(", ", RESOURCE_TYPES));
  }

  private static Integer httpStatus(String value) {
    try {
      int code = Integer.parseInt(value.trim());
      if (code < 100 || code > 599) {
        throw new NumberFormatException();
      }
      return code;
    } catch (NumberFormatException e) {
      throw new BadRequest("httpStatus", "httpStatus must be an HTTP status code such as 409");
    }
  }

  private static String bounded(String name, String value) {
    if (value.length() > 512) {
      throw new BadRequest(name, name + " must be at most 512 characters");
    }
    return value;
  }
}
