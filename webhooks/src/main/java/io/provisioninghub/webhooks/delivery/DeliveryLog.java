package io.provisioninghub.webhooks.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.provisioninghub.webhooks.Db;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The delivery log of an endpoint, and manual redelivery. */
@ApplicationScoped
public class DeliveryLog {

  /** One attempt of a delivery. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Attempt(
      Instant at, Integer httpStatus, String error, int latencyMs, String response) {}

  /** One delivery with its attempts, oldest first. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Delivery(
      long id,
      String eventId,
      String eventType,
      String tenantId,
      String status,
      int attempts,
      Instant createdAt,
      Instant nextAttemptAt,
      Instant deliveredAt,
      Integer lastStatus,
      List<Attempt> log) {}

  /** A page, newest first; {@code nextBefore} continues it (null on the last page). */
  public record Page(List<Delivery> items, Long nextBefore) {}

  private final Db db;
  private final Dispatcher dispatcher;

  public DeliveryLog(Db db, Dispatcher dispatcher) {
    this.db = db;
    this.dispatcher = dispatcher;
  }

  public Page page(
      UUID endpoint, Optional<String> status, Optional<String> eventId, Long before, int limit) {
    return db.inTransaction(
        c -> {
          StringBuilder sql =
              new StringBuilder(
                  "select id, event_id, event_type, tenant_id, status, attempts, created_at,"
                      + " next_attempt_at, delivered_at, last_status from webhooks.deliveries"
                      + " where endpoint_id = ?");
          List<Object> params = new ArrayList<>(List.of(endpoint));
          status.ifPresent(
              s -> {
                sql.append(" and status = ?");
                params.add(s);
              });
          eventId.ifPresent(
              e -> {
                sql.append(" and event_id = ?");
                params.add(e);
              });
          if (before != null) {
            sql.append(" and id < ?");
            params.add(before);
          }
          sql.append(" order by id desc limit ?");
          params.add(limit + 1);
          Map<Long, Delivery> rows = new LinkedHashMap<>();
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
              ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                rows.put(
                    rs.getLong(1),
                    new Delivery(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getInt(6),
                        instant(rs, 7),
                        "pending".equals(rs.getString(5)) ? instant(rs, 8) : null,
                        instant(rs, 9),
                        (Integer) rs.getObject(10),
                        new ArrayList<>()));
              }
            }
          }
          boolean more = rows.size() > limit;
          List<Delivery> shown =
              new ArrayList<>(rows.values()).subList(0, Math.min(limit, rows.size()));
          attempts(c, shown);
          return new Page(shown, more ? shown.get(shown.size() - 1).id() : null);
        });
  }

  private static void attempts(Connection c, List<Delivery> deliveries) throws SQLException {
    if (deliveries.isEmpty()) {
      return;
    }
    Map<Long, Delivery> byId = new LinkedHashMap<>();
    deliveries.forEach(d -> byId.put(d.id(), d));
    try (PreparedStatement ps =
        c.prepareStatement(
            "select delivery_id, attempted_at, http_status, error, latency_ms, response"
                + " from webhooks.attempts where delivery_id = any(?) order by id")) {
      ps.setArray(1, c.createArrayOf("bigint", byId.keySet().toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byId.get(rs.getLong(1))
              .log()
              .add(
                  new Attempt(
                      instant(rs, 2),
                      (Integer) rs.getObject(3),
                      rs.getString(4),
                      rs.getInt(5),
                      rs.getString(6)));
        }
      }
    }
  }

  /** Queues one event again for the endpoint; the number of deliveries queued (0 or 1). */
  public int redeliver(UUID endpoint, String eventId) {
    int n =
        db.inTransaction(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "update webhooks.deliveries set status = 'pending', next_attempt_at = now(),"
                          + " lease_until = null where endpoint_id = ? and event_id = ?")) {
                ps.setObject(1, endpoint);
                ps.setString(2, eventId);
                return ps.executeUpdate();
              }
            });
    dispatcher.wake();
    return n;
  }

  /** Queues again every event owed to the endpoint in [from, to). */
  public int redeliver(UUID endpoint, Instant from, Instant to) {
    int n =
        db.inTransaction(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "update webhooks.deliveries set status = 'pending', next_attempt_at = now(),"
                          + " lease_until = null where endpoint_id = ? and created_at >= ?"
                          + " and created_at < ?")) {
                ps.setObject(1, endpoint);
                ps.setTimestamp(2, Timestamp.from(from));
                ps.setTimestamp(3, Timestamp.from(to));
                return ps.executeUpdate();
              }
            });
    dispatcher.wake();
    return n;
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
