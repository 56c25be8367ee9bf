package io.provisioninghub.webhooks.delivery;

import io.provisioninghub.webhooks.Db;
import io.provisioninghub.webhooks.WebhooksConfig;
import io.provisioninghub.webhooks.endpoints.EndpointStore;
import io.provisioninghub.webhooks.endpoints.Secrets;
import io.provisioninghub.webhooks.endpoints.TargetPolicy;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Sends what is owed. One thread leases due deliveries (a lease, not a transaction held across the
 * call, so several instances share the work and a crashed one's leases expire), only the oldest
 * pending one of each endpoint and resource (order per resource), and hands them to at most {@code
 * phub.webhooks.concurrency} senders. It sleeps until woken (a new delivery, a finished attempt) or
 * until the earliest retry is due, at most 10 s (a safety net: an idle table costs one indexed
 * query per 10 s).
 */
@ApplicationScoped
public class Dispatcher {

  private static final Logger LOG = Logger.getLogger(Dispatcher.class);
  static final Duration LEASE = Duration.ofSeconds(60);
  static final Duration LONGEST_SLEEP = Duration.ofSeconds(10);
  static final int EXCERPT = 1024;

  /** A leased delivery. */
  record Due(long id, UUID endpoint, String eventId, String body, int attempts, Instant created) {}

  private final Db db;
  private final EndpointStore endpoints;
  private final Secrets secrets;
  private final WebhooksConfig config;
  private final TargetPolicy targets;
  private final WebhookMetrics metrics;
  private final HttpClient http;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition woken = lock.newCondition();
  private final Semaphore slots;
  private boolean wakeRequested;
  private final java.util.concurrent.atomic.AtomicLong rounds =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean running;
  private ExecutorService senders;
  private Thread loop;

  public Dispatcher(
      Db db,
      EndpointStore endpoints,
      Secrets secrets,
      WebhooksConfig config,
      WebhookMetrics metrics) {
    this.db = db;
    this.endpoints = endpoints;
    this.secrets = secrets;
    this.config = config;
    this.metrics = metrics;
    this.targets = new TargetPolicy(config.allowPrivateTargets());
    this.slots = new Semaphore(config.concurrency());
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.http().connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  void onStart(@Observes StartupEvent event) {
    running = true;
    senders =
        Executors.newFixedThreadPool(
            config.concurrency(),
            r -> {
              Thread t = new Thread(r, "webhook-sender");
              t.setDaemon(true);
              return t;
            });
    loop = new Thread(this::run, "webhook-dispatcher");
    loop.setDaemon(true);
    loop.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    running = false;
    wake();
    if (senders != null) {
      senders.shutdown();
      try {
        senders.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** How many times the loop has looked for due deliveries (tests: it must not spin). */
  public long rounds() {
    return rounds.get();
  }

  /** Something may be due now. */
  public void wake() {
    lock.lock();
    try {
      wakeRequested = true;
      woken.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    while (running) {
      Duration sleep = LONGEST_SLEEP;
      rounds.incrementAndGet();
      try {
        int free = slots.availablePermits();
        if (free == 0) {
          // Every sender busy: the next one to finish wakes this loop.
          await(LONGEST_SLEEP);
          continue;
        }
        List<Due> due = lease(free);
        for (Due d : due) {
          slots.acquireUninterruptibly();
          senders.execute(
              () -> {
                try {
                  attempt(d);
                } finally {
                  slots.release();
                  wake();
                }
              });
        }
        if (!due.isEmpty() && due.size() == free) {
          continue; // more may be due at once
        }
        sleep = untilNextDue();
      } catch (RuntimeException e) {
        LOG.warnf("webhook dispatch failed, trying again shortly: %s", e.toString());
        sleep = Duration.ofSeconds(2);
      }
      await(sleep);
    }
  }

  private void await(Duration sleep) {
    lock.lock();
    try {
      if (!wakeRequested && running && !sleep.isNegative() && !sleep.isZero()) {
        woken.await(sleep.toMillis(), TimeUnit.MILLISECONDS);
      }
      wakeRequested = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Until the earliest delivery that {@link #lease} could take is due (or its lease runs out), at
   * most {@link #LONGEST_SLEEP}. Only the heads of their endpoint and resource, of enabled
   * endpoints, count: a delivery waiting behind an earlier one of its resource, or for a disabled
   * endpoint, is not due whatever its own time says, and counting it would wake this loop at once,
   * again and again.
   */
  Duration untilNextDue() {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "select extract(epoch from (min(greatest(d.next_attempt_at,"
                          + " coalesce(d.lease_until, d.next_attempt_at))) - now())) * 1000"
                          + " from webhooks.deliveries d"
                          + " join webhooks.endpoints p on p.id = d.endpoint_id and p.enabled"
                          + " where d.status = 'pending' and not exists (select 1 from"
                          + " webhooks.deliveries e where e.endpoint_id = d.endpoint_id"
                          + " and e.resource_key = d.resource_key and e.status = 'pending'"
                          + " and e.id < d.id)");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            double millis = rs.getDouble(1);
            if (rs.wasNull()) {
              return LONGEST_SLEEP;
            }
            long wait = Math.max(10, (long) Math.ceil(millis));
            return Duration.ofMillis(Math.min(wait, LONGEST_SLEEP.toMillis()));
          }
        });
  }

  /**
   * Leases up to {@code limit} due deliveries: the oldest pending one per endpoint and resource.
   */
  List<Due> lease(int limit) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "with candidates as (select d.id from webhooks.deliveries d"
                      + " join webhooks.endpoints p on p.id = d.endpoint_id and p.enabled"
                      + " where d.status = 'pending' and d.next_attempt_at <= now()"
                      + " and (d.lease_until is null or d.lease_until < now())"
                      + " and not exists (select 1 from webhooks.deliveries e"
                      + " where e.endpoint_id = d.endpoint_id and e.resource_key = d.resource_key"
                      + " and e.status = 'pending' and e.id < d.id)"
                      + " order by d.id limit ? for update of d skip locked)"
                      + " update webhooks.deliveries d set lease_until = now() + ?::interval"
                      + " from candidates c where d.id = c.id"
                      + " returning d.id, d.endpoint_id, d.event_id, d.body, d.attempts,"
                      + " d.created_at")) {
            ps.setInt(1, limit);
            ps.setString(2, LEASE.toSeconds() + " seconds");
            List<Due> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Due(
                        rs.getLong(1),
                        rs.getObject(2, UUID.class),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getInt(5),
                        rs.getTimestamp(6).toInstant()));
              }
            }
            return out;
          }
        });
  }

  /** One attempt: sign, send, record. */
  void attempt(Due due) {
    long started = System.nanoTime();
    Integer status = null;
    String error = null;
    String excerpt = null;
    try {
      var endpoint = db.inTransaction(c -> endpoints.find(c, due.endpoint(), false));
      var stored = db.inTransaction(c -> endpoints.secrets(c, due.endpoint()));
      if (endpoint.isEmpty() || stored == null) {
        return; // deleted meanwhile: its deliveries went with it
      }
      Optional<String> refused = targets.refusal(endpoint.get().url());
      if (refused.isPresent()) {
        error = "refused: " + refused.get();
      } else {
        List<String> signing = new ArrayList<>();
        signing.add(secrets.decrypt(stored.current()));
        if (stored.previous() != null
            && stored.previousUntil() != null
            && stored.previousUntil().isAfter(Instant.now())) {
          signing.add(secrets.decrypt(stored.previous()));
        }
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request =
            HttpRequest.newBuilder(URI.create(endpoint.get().url()))
                .timeout(config.http().responseTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "ProvisioningHub-Webhooks/1")
                .header("webhook-id", due.eventId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header(
                    "webhook-signature",
                    Signer.signature(signing, due.eventId(), timestamp, due.body()))
                .POST(HttpRequest.BodyPublishers.ofString(due.body(), StandardCharsets.UTF_8))
                .build();
        HttpResponse<InputStream> response =
            http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        status = response.statusCode();
        try (InputStream in = response.body()) {
          byte[] head = in.readNBytes(config.http().maxResponseBytes());
          excerpt = new String(head, 0, Math.min(head.length, EXCERPT), StandardCharsets.UTF_8);
        }
      }
    } catch (IOException e) {
      error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "interrupted";
    } catch (RuntimeException e) {
      error = e.toString();
    }
    int latency = (int) Duration.ofNanos(System.nanoTime() - started).toMillis();
    record(due, status, error, excerpt, latency);
  }

  private void record(Due due, Integer status, String error, String excerpt, int latency) {
    boolean delivered = status != null && status >= 200 && status < 300;
    Instant now = Instant.now();
    boolean givingUp = !delivered && due.created().plus(config.retry().giveUpAfter()).isBefore(now);
    Instant next = now.plus(backoff(due.attempts() + 1));
    db.inTransaction(
        c -> {
          try (PreparedStatement attempt =
              c.prepareStatement(
                  "insert into webhooks.attempts (delivery_id, http_status, error, latency_ms,"
                      + " response) values (?, ?, ?, ?, ?)")) {
            attempt.setLong(1, due.id());
            attempt.setObject(2, status);
            attempt.setString(3, error == null ? null : truncate(error, EXCERPT));
            attempt.setInt(4, latency);
            attempt.setString(5, excerpt == null ? null : excerpt.replace('\u0000', ' '));
            attempt.executeUpdate();
          }
          try (PreparedStatement update =
              c.prepareStatement(
                  "update webhooks.deliveries set attempts = attempts + 1, lease_until = null,"
                      + " last_status = ?, status = ?, delivered_at = ?, next_attempt_at = ?"
                      + " where id = ?")) {
            update.setObject(1, status);
            update.setString(2, delivered ? "delivered" : givingUp ? "failed" : "pending");
            update.setTimestamp(3, delivered ? Timestamp.from(now) : null);
            update.setTimestamp(4, Timestamp.from(delivered || givingUp ? now : next));
            update.setLong(5, due.id());
            update.executeUpdate();
          }
          try (PreparedStatement health =
              c.prepareStatement(
                  delivered
                      ? "update webhooks.endpoints set failing_since = null where id = ?"
                      : "update webhooks.endpoints set failing_since = coalesce(failing_since,"
                          + " now()), enabled = case when coalesce(failing_since, now()) < now() -"
                          + " ?::interval then false else enabled end, disabled_reason = case when"
                          + " coalesce(failing_since, now()) < now() - ?::interval then 'every"
                          + " delivery failed since ' || coalesce(failing_since, now())::text else"
                          + " disabled_reason end, disabled_at = case when coalesce(failing_since,"
                          + " now()) < now() - ?::interval then now() else disabled_at end"
                          + " where id = ?")) {
            if (delivered) {
              health.setObject(1, due.endpoint());
            } else {
              String after = config.disableAfter().toSeconds() + " seconds";
              health.setString(1, after);
              health.setString(2, after);
              health.setString(3, after);
              health.setObject(4, due.endpoint());
            }
            health.executeUpdate();
          }
          return null;
        });
    metrics.attempted(due.endpoint(), delivered ? "delivered" : givingUp ? "gave_up" : "retry");
    if (!delivered) {
      LOG.debugf(
          "webhook %s to endpoint %s: attempt %d %s",
          due.eventId(),
          due.endpoint(),
          due.attempts() + 1,
          status != null ? "HTTP " + status : error);
    }
  }

  /**
   * Exponential (x5) from {@code first-delay}, capped at {@code max-delay}, full jitter in [d/2,
   * d].
   */
  Duration backoff(int attempts) {
    double base = config.retry().firstDelay().toMillis() * Math.pow(5, Math.max(0, attempts - 1));
    long capped = (long) Math.min(base, config.retry().maxDelay().toMillis());
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
