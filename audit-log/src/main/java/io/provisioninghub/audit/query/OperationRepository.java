package io.provisioninghub.audit.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.provisioninghub.audit.ingest.AuditOperation;
import io.provisioninghub.audit.ingest.AuditStatus;
import io.provisioninghub.contracts.ContractJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads {@code audit.operations}; every statement is scoped by {@code tenant_id = ?}. */
@ApplicationScoped
public class OperationRepository {

  private static final String COLUMNS =
      "command_id, tenant_id, received_at, applied_at, duration_ms, operation, scim_operation,"
          + " resource_type, resource_id, target_user_name, target_display_name,"
          + " target_external_id, status, http_status, scim_type, reason, changed_attributes,"
          + " client_request_id, source, has_command, has_outcome, dead_lettered, trace_id";

  private static final String ORDER = " order by received_at desc, command_id desc";

  private final AgroalDataSource dataSource;

  public OperationRepository(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Up to {@code limit} rows after {@code after} (null for the first page), newest first. */
  public List<OperationView> list(OperationFilter filter, Cursor after, int limit)
      throws SQLException {
    Sql where = filter.where();
    String sql = listSql(filter, where, after != null);
    try (Connection connection = dataSource.getConnection();
        PreparedStatement st = connection.prepareStatement(sql)) {
      int next = where.bind(st);
      if (after != null) {
        st.setObject(next++, Sql.timestamp(after.receivedAt()));
        st.setObject(next++, after.commandId());
      }
      st.setInt(next, limit);
      List<OperationView> rows = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(view(rs, null));
        }
      }
      return rows;
    }
  }

  /**
   * The list statement: filter, then keyset position, newest first, limit last. A target search
   * first collects its matches through the target index and sorts only those: without the fence
   * ({@code offset 0}) the planner may walk the tenant's whole time index hoping to meet enough
   * matches early, which on a large tenant with few matches reads every row.
   */
  static String listSql(OperationFilter filter, Sql where, boolean afterCursor) {
    String conditions =
        where.text() + (afterCursor ? " and (received_at, command_id) < (?, ?)" : "");
    if (filter.target() != null || filter.targetPrefix() != null) {
      return "select "
          + COLUMNS
          + " from (select * from audit.operations where "
          + conditions
          + " offset 0) as matches"
          + ORDER
          + " limit ?";
    }
    return "select " + COLUMNS + " from audit.operations where " + conditions + ORDER + " limit ?";
  }

  public Optional<OperationView> find(String tenantId, UUID commandId) throws SQLException {
    String sql =
        "select "
            + COLUMNS
            + ", request_body from audit.operations where tenant_id = ? and command_id = ?";
    try (Connection connection = dataSource.getConnection();
        PreparedStatement st = connection.prepareStatement(sql)) {
      st.setString(1, tenantId);
      st.setObject(2, commandId);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String body = rs.getString("request_body");
        return Optional.of(view(rs, body == null ? null : parse(body)));
      }
    }
  }

  /** Receives exported rows one at a time; may throw to stop. */
  public interface RowSink {
    void accept(OperationView row) throws Exception;
  }

  /**
   * Streams the matching rows, newest first, through a server-side cursor: memory stays flat
   * however many rows match.
   */
  public void stream(OperationFilter filter, long maxRows, RowSink sink) throws Exception {
    Sql where = filter.where();
    String sql = listSql(filter, where, false);
    try (Connection connection = dataSource.getConnection()) {
      // The PostgreSQL driver only fetches in chunks inside a transaction.
      connection.setAutoCommit(false);
      connection.setReadOnly(true);
      try (PreparedStatement st = connection.prepareStatement(sql)) {
        st.setFetchSize(500);
        int next = where.bind(st);
        st.setLong(next, maxRows);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            sink.accept(view(rs, null));
          }
        }
      } finally {
        connection.rollback();
        connection.setReadOnly(false);
        connection.setAutoCommit(true);
      }
    }
  }

  /** Counts by status. */
  public Map<String, Long> countByStatus(String tenantId, Instant from, Instant to)
      throws SQLException {
    return counts("status", tenantId, from, to);
  }

  /** Counts by derived operation; operations without a command count as {@code unknown}. */
  public Map<String, Long> countByOperation(String tenantId, Instant from, Instant to)
      throws SQLException {
    return counts("coalesce(operation, 'unknown')", tenantId, from, to);
  }

  private Map<String, Long> counts(String expression, String tenantId, Instant from, Instant to)
      throws SQLException {
    String sql =
        "select "
            + expression
            + " as k, count(*) from audit.operations"
            + " where tenant_id = ? and received_at >= ? and received_at < ?"
            + " group by 1 order by 2 desc, 1";
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement st = connection.prepareStatement(sql)) {
      st.setString(1, tenantId);
      st.setObject(2, Sql.timestamp(from));
      st.setObject(3, Sql.timestamp(to));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return out;
  }

  /**
   * The most frequent kinds of failure and rejection, with an example reason each. A kind is also
   * told apart by what was addressed, so a missing schema and a deleted user, both 404, each get
   * their own advice.
   */
  public List<TenantSummary.FailureReason> topFailures(
      String tenantId, Instant from, Instant to, int limit) throws SQLException {
    String sql =
        """
        select status, http_status, scim_type, resource_type, count(*) as n,
               min(reason) as example,
               mode() within group (order by operation) as operation,
               dead_lettered
        from audit.operations
        where tenant_id = ? and received_at >= ? and received_at < ?
          and status in ('failure', 'rejected')
        group by status, http_status, scim_type, resource_type, dead_lettered
        order by n desc, http_status, scim_type, resource_type
        limit ?
        """;
    List<TenantSummary.FailureReason> out = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement st = connection.prepareStatement(sql)) {
      st.setString(1, tenantId);
      st.setObject(2, Sql.timestamp(from));
      st.setObject(3, Sql.timestamp(to));
      st.setInt(4, limit);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          AuditStatus status = AuditStatus.fromWireName(rs.getString("status"));
          Integer http = intOrNull(rs, "http_status");
          String scimType = rs.getString("scim_type");
          String action =
              RecommendedActions.forFacts(
                  new RecommendedActions.Facts(
                      status,
                      http,
                      scimType,
                      operationOrNull(rs.getString("operation")),
                      rs.getString("resource_type"),
                      rs.getBoolean("dead_lettered")));
          out.add(
              new TenantSummary.FailureReason(
                  status.wireName(),
                  http,
                  scimType,
                  rs.getString("resource_type"),
                  rs.getLong("n"),
                  rs.getString("example"),
                  action));
        }
      }
    }
    return out;
  }

  private static OperationView view(ResultSet rs, JsonNode body) throws SQLException {
    AuditStatus status = AuditStatus.fromWireName(rs.getString("status"));
    Integer http = intOrNull(rs, "http_status");
    String operation = rs.getString("operation");
    String resourceType = rs.getString("resource_type");
    String scimType = rs.getString("scim_type");
    Array changed = rs.getArray("changed_attributes");
    long durationValue = rs.getLong("duration_ms");
    Long duration = rs.wasNull() ? null : durationValue;
    return new OperationView(
        rs.getObject("command_id", UUID.class),
        rs.getString("tenant_id"),
        instant(rs, "received_at"),
        instant(rs, "applied_at"),
        duration,
        operation,
        rs.getString("scim_operation"),
        resourceType,
        rs.getString("resource_id"),
        new OperationView.Target(
            rs.getString("target_user_name"),
            rs.getString("target_display_name"),
            rs.getString("target_external_id")),
        status.wireName(),
        http,
        scimType,
        rs.getString("reason"),
        RecommendedActions.forFacts(
            new RecommendedActions.Facts(
                status,
                http,
                scimType,
                operationOrNull(operation),
                resourceType,
                rs.getBoolean("dead_lettered"))),
        changed == null ? List.of() : Arrays.asList((String[]) changed.getArray()),
        rs.getString("client_request_id"),
        rs.getString("source"),
        rs.getBoolean("has_command"),
        rs.getBoolean("has_outcome"),
        rs.getBoolean("dead_lettered"),
        rs.getString("trace_id"),
        body);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static Integer intOrNull(ResultSet rs, String column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  private static AuditOperation operationOrNull(String value) {
    if (value == null) {
      return null;
    }
    try {
      return AuditOperation.fromWireName(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static JsonNode parse(String json) {
    try {
      return ContractJson.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored request body is not JSON", e);
    }
  }
}
