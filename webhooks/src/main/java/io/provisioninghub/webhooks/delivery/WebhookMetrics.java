package io.provisioninghub.webhooks.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.webhooks.Db;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code phub_webhook_attempts_total{endpoint, outcome}} (delivered, retry, gave_up), and for every
 * registered endpoint {@code phub_webhook_backlog_records} (pending deliveries) and {@code
 * phub_webhook_oldest_pending_seconds}, plus {@code phub_webhook_endpoints_disabled} (disabled
 * after failing for days). The label {@code endpoint} is the endpoint's id: endpoints are few,
 * registered by the vendor's operators.
 */
@ApplicationScoped
public class WebhookMetrics {

  private final MeterRegistry registry;
  private final Db db;
  private final Map<UUID, AtomicLong> backlog = new ConcurrentHashMap<>();
  private final Map<UUID, AtomicLong> oldest = new ConcurrentHashMap<>();
  private final AtomicLong disabled = new AtomicLong();

  public WebhookMetrics(MeterRegistry registry, Db db) {
    this.registry = registry;
    this.db = db;
    Gauge.builder("phub.webhook.endpoints.disabled", disabled, AtomicLong::get)
        .description(
            "Endpoints disabled because every delivery failed for phub.webhooks.disable-after")
        .register(registry);
  }

  void attempted(UUID endpoint, String outcome) {
    Counter.builder("phub.webhook.attempts")
        .description("Webhook delivery attempts by outcome")
        .tag("endpoint", endpoint.toString())
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  /** Re-reads the backlog per endpoint and the disabled endpoints. */
  @io.quarkus.scheduler.Scheduled(
      identity = "webhook-metrics",
      every = "${phub.webhooks.metrics-every:10s}",
      concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    try {
      read();
    } catch (RuntimeException e) {
      // The database is away: the gauges keep their last values until the next refresh.
      org.jboss.logging.Logger.getLogger(WebhookMetrics.class)
          .debugf("webhook metrics not refreshed: %s", e.toString());
    }
  }

  private void read() {
    Map<UUID, long[]> read = new HashMap<>();
    long off =
        db.inTransaction(
            c -> {
              try (PreparedStatement ps =
                      c.prepareStatement(
                          "select endpoint_id, count(*), extract(epoch from now() -"
                              + " min(created_at)) from webhooks.deliveries"
                              + " where status = 'pending' group by endpoint_id");
                  ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  read.put(
                      rs.getObject(1, UUID.class),
                      new long[] {rs.getLong(2), (long) rs.getDouble(3)});
                }
              }
              try (PreparedStatement ps = c.prepareStatement("select id from webhooks.endpoints");
                  ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  read.putIfAbsent(rs.getObject(1, UUID.class), new long[] {0, 0});
                }
              }
              try (PreparedStatement ps =
                      c.prepareStatement(
                          "select count(*) from webhooks.endpoints where not enabled"
                              + " and disabled_reason is not null");
                  ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
              }
            });
    disabled.set(off);
    backlog.forEach((id, v) -> v.set(0));
    oldest.forEach((id, v) -> v.set(0));
    read.forEach(
        (id, values) -> {
          gauge(backlog, "phub.webhook.backlog", "records", id).set(values[0]);
          gauge(oldest, "phub.webhook.oldest.pending", "seconds", id).set(values[1]);
        });
  }

  private AtomicLong gauge(Map<UUID, AtomicLong> gauges, String name, String unit, UUID id) {
    return gauges.computeIfAbsent(
        id,
        key -> {
          AtomicLong value = new AtomicLong();
          Gauge.builder(name, value, AtomicLong::get)
              .baseUnit(unit)
              .tag("endpoint", key.toString())
              .register(registry);
          return value;
        });
  }
}
