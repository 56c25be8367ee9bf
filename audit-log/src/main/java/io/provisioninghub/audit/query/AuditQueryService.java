package io.provisioninghub.audit.query;

import io.provisioninghub.audit.error.BadRequest;
import io.provisioninghub.audit.error.NotFound;
import io.provisioninghub.audit.ingest.AuditStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The support queries: pages of a tenant's operations, one operation, and the tenant summary. */
@ApplicationScoped
public class AuditQueryService {

  private static final Duration DEFAULT_SUMMARY_RANGE = Duration.ofHours(24);

  private final OperationRepository repository;
  private final QueryConfig config;

  public AuditQueryService(OperationRepository repository, QueryConfig config) {
    this.repository = repository;
    this.config = config;
  }

  public OperationPage list(OperationFilter filter, String cursor, String limit)
      throws SQLException {
    int size = limit(limit);
    Cursor after = cursor == null || cursor.isBlank() ? null : Cursor.decode(cursor.trim());
    // One extra row tells whether there is a next page without a count.
    List<OperationView> rows = repository.list(filter, after, size + 1);
    if (rows.size() <= size) {
      return new OperationPage(rows, null);
    }
    List<OperationView> page = rows.subList(0, size);
    OperationView last = page.get(size - 1);
    return new OperationPage(
        List.copyOf(page), new Cursor(last.receivedAt(), last.commandId()).encode());
  }

  public OperationView get(String tenantId, String commandId) throws SQLException {
    UUID id;
    try {
      id = UUID.fromString(commandId);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("commandId", "commandId must be a UUID");
    }
    return repository
        .find(tenantId, id)
        .orElseThrow(() -> new NotFound("tenant has no operation with this command id"));
  }

  public TenantSummary summary(String tenantId, String fromParam, String toParam)
      throws SQLException {
    OperationFilter range =
        OperationFilter.parse(
            tenantId, fromParam, toParam, null, null, null, null, null, null, null);
    Instant to = range.to() != null ? range.to() : Instant.now();
    Instant from = range.from() != null ? range.from() : to.minus(DEFAULT_SUMMARY_RANGE);
    if (!from.isBefore(to)) {
      throw new BadRequest("from", "from must be before to");
    }
    Map<String, Long> byStatus = repository.countByStatus(tenantId, from, to);
    Map<String, Long> byOperation = repository.countByOperation(tenantId, from, to);
    long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
    long failed =
        byStatus.getOrDefault(AuditStatus.FAILURE.wireName(), 0L)
            + byStatus.getOrDefault(AuditStatus.REJECTED.wireName(), 0L);
    // Pending operations have no answer yet, so they are neither failures nor successes.
    long answered = failed + byStatus.getOrDefault(AuditStatus.SUCCESS.wireName(), 0L);
    double rate = answered == 0 ? 0.0 : round((double) failed / answered);
    double threshold = config.quarantineThreshold();
    return new TenantSummary(
        tenantId,
        from,
        to,
        total,
        byStatus,
        byOperation,
        repository.topFailures(tenantId, from, to, config.topFailureReasons()),
        rate,
        threshold,
        round(threshold - rate),
        rate >= threshold);
  }

  /** The maximum rows one export returns. */
  public long exportMaxRows() {
    return config.exportMaxRows();
  }

  private int limit(String value) {
    if (value == null || value.isBlank()) {
      return config.defaultLimit();
    }
    try {
      int limit = Integer.parseInt(value.trim());
      if (limit < 1 || limit > config.maxLimit()) {
        throw new NumberFormatException();
      }
      return limit;
    } catch (NumberFormatException e) {
      throw new BadRequest("limit", "limit must be between 1 and " + config.maxLimit());
    }
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }
}
