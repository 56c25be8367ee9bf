package io.provisioninghub.gateway.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.gateway.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Decides whether a tenant's request is within its rate limit: by this instance's own bucket
 * ({@link RateLimiter}, the default), or, with {@code phub.gateway.rate-limit.shared=true}, by one
 * bucket per tenant that all gateway instances share in PostgreSQL ({@link SharedBucketStore}).
 *
 * <p>To keep the store off the path of most requests, an instance takes a tenant's tokens a few at
 * a time (a lease: a tenth of the smaller of rate and burst, at least one, at most {@code
 * shared-max-lease}) and spends them within {@link #LEASE_LIFETIME}; what it has not spent by then
 * is dropped. Tokens are taken from the shared bucket before they are spent, so all instances
 * together never admit more than the bucket gives; they may spend them up to a second later than
 * the bucket gave them.
 *
 * <p>The shared store never turns a request into an error: when it fails or does not answer within
 * {@code shared-timeout}, this instance's bucket decides (fail open to the per-instance limit), the
 * request is counted in {@code phub_rate_limit_shared_fallbacks_total}, the first failure is
 * logged, and for {@code shared-backoff} the store is not asked at all, so an outage adds no
 * latency.
 */
@ApplicationScoped
public class TenantRateLimit {

  static final String FALLBACKS = "phub.rate.limit.shared.fallbacks";

  private static final Logger LOG = Logger.getLogger(TenantRateLimit.class);

  /** How long an instance may hold tokens it took from the shared bucket. */
  static final Duration LEASE_LIFETIME = Duration.ofSeconds(1);

  /** Tokens of one tenant this instance took from the shared bucket and has not spent yet. */
  private static final class Lease {
    final RateLimit limit;
    private long tokens;
    private long expiresAt;

    Lease(RateLimit limit) {
      this.limit = limit;
    }

    synchronized boolean tryTake(long now) {
      if (tokens > 0 && now - expiresAt < 0) {
        tokens--;
        return true;
      }
      return false;
    }

    synchronized void add(int granted, long now) {
      if (now - expiresAt >= 0) {
        tokens = 0;
      }
      tokens += granted;
      expiresAt = now + LEASE_LIFETIME.toNanos();
    }
  }

  private final Map<String, Lease> leases = new ConcurrentHashMap<>();

  /** Round trips to the shared store (for tests). */
  final AtomicLong storeCalls = new AtomicLong();

  private final RateLimiter local;
  private final SharedBucketStore store;
  private final long timeoutNanos;
  private final long backoffNanos;
  private final int maxLease;
  private final Counter timeouts;
  private final Counter errors;
  private final Counter skipped;
  private final AtomicBoolean down = new AtomicBoolean();
  private volatile long askAgainAt;

  @Inject
  TenantRateLimit(RateLimiter local, GatewayConfig config, Vertx vertx, MeterRegistry registry) {
    this(
        local,
        config.rateLimit().shared() ? store(vertx, config.rateLimit()) : null,
        config.rateLimit().sharedTimeout(),
        config.rateLimit().sharedBackoff(),
        config.rateLimit().sharedMaxLease(),
        registry);
  }

  /** Per instance only: this instance's buckets decide every request. */
  public TenantRateLimit(RateLimiter local) {
    this(local, null, Duration.ofMillis(200), Duration.ofSeconds(5), 1, new SimpleMeterRegistry());
  }

  TenantRateLimit(
      RateLimiter local,
      SharedBucketStore store,
      Duration timeout,
      Duration backoff,
      int maxLease,
      MeterRegistry registry) {
    this.local = local;
    this.maxLease = maxLease;
    this.store = store;
    this.timeoutNanos = timeout.toNanos();
    this.backoffNanos = backoff.toNanos();
    this.timeouts = fallbacks(registry, "timeout");
    this.errors = fallbacks(registry, "error");
    this.skipped = fallbacks(registry, "backoff");
  }

  /** Whether the limit is shared by all gateway instances. */
  public boolean shared() {
    return store != null;
  }

  /**
   * Completes when the request may go on; fails with a 429 ({@code TooManyRequestsException}) when
   * the tenant is over its limit, never with anything else.
   */
  public Uni<Void> acquire(Tenant tenant) {
    if (store == null) {
      local.acquire(tenant);
      return Uni.createFrom().voidItem();
    }
    if (down.get() && System.nanoTime() - askAgainAt < 0) {
      skipped.increment();
      local.acquire(tenant);
      return Uni.createFrom().voidItem();
    }
    RateLimit limit = local.limitOf(tenant);
    Lease lease =
        leases.compute(
            tenant.id(),
            (id, existing) ->
                existing != null && existing.limit.equals(limit) ? existing : new Lease(limit));
    if (lease.tryTake(System.nanoTime())) {
      return Uni.createFrom().voidItem();
    }
    storeCalls.incrementAndGet();
    Context context = Vertx.currentContext();
    Uni<Void> decided =
        store
            .take(tenant.id(), limit, leaseSize(limit, maxLease))
            .ifNoItem()
            .after(Duration.ofNanos(timeoutNanos))
            .failWith(
                () ->
                    new TimeoutException(
                        "no answer within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms"))
            .onItemOrFailure()
            .transform(
                (taken, failure) -> {
                  if (failure != null) {
                    fellBack(failure);
                    local.acquire(tenant);
                    return null;
                  }
                  answered();
                  if (taken.granted() < 1) {
                    throw RateLimiter.refusal(
                        limit, Math.max(1, (long) Math.ceil(taken.waitSeconds())));
                  }
                  lease.add(taken.granted() - 1, System.nanoTime());
                  return null;
                })
            .replaceWithVoid();
    // Go on on the request's own context, not on the pool's or the timer's thread.
    return context == null ? decided : decided.emitOn(r -> context.runOnContext(v -> r.run()));
  }

  /**
   * Tokens taken from the shared bucket at once: a tenth of the smaller of rate and burst, at least
   * one, at most {@code max}.
   */
  static int leaseSize(RateLimit limit, int max) {
    return Math.max(1, Math.min(max, Math.min(limit.requestsPerSecond(), limit.burst()) / 10));
  }

  private void fellBack(Throwable failure) {
    (failure instanceof TimeoutException ? timeouts : errors).increment();
    askAgainAt = System.nanoTime() + backoffNanos;
    if (down.compareAndSet(false, true)) {
      LOG.warnf(
          "shared rate-limit store unavailable (%s); each gateway instance applies the tenants'"
              + " limits on its own, asking the store again every %d s",
          failure.toString(), Duration.ofNanos(backoffNanos).toSeconds());
    }
  }

  /** Whether the shared store failed last time it was asked (this instance decides alone). */
  boolean fallingBack() {
    return down.get();
  }

  private void answered() {
    if (down.compareAndSet(true, false)) {
      LOG.info("shared rate-limit store answers again; tenants' limits are shared again");
    }
  }

  @PreDestroy
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private static Counter fallbacks(MeterRegistry registry, String reason) {
    return Counter.builder(FALLBACKS)
        .description(
            "SCIM requests decided by this gateway's own bucket although the rate limit is shared:"
                + " the shared store failed (error), was slow (timeout), or is not asked for a"
                + " while after that (backoff)")
        .tag("reason", reason)
        .register(registry);
  }

  private static SharedBucketStore store(Vertx vertx, GatewayConfig.RateLimits config) {
    var all = ConfigProvider.getConfig();
    String url =
        config
            .sharedUrl()
            .or(() -> all.getOptionalValue("quarkus.datasource.reactive.url", String.class))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "phub.gateway.rate-limit.shared is on but neither"
                            + " phub.gateway.rate-limit.shared-url nor"
                            + " quarkus.datasource.reactive.url is set"));
    String user =
        config
            .sharedUsername()
            .or(() -> all.getOptionalValue("quarkus.datasource.username", String.class))
            .orElse(null);
    String password =
        config
            .sharedPassword()
            .or(() -> all.getOptionalValue("quarkus.datasource.password", String.class))
            .orElse(null);
    LOG.infof("tenant rate limits are shared by all gateway instances (store %s)", url);
    return SharedBucketStore.connect(
        vertx, url, user, password, config.sharedPoolSize(), config.sharedTimeout());
  }
}
