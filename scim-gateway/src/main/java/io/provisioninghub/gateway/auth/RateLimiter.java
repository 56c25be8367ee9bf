package io.provisioninghub.gateway.auth;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.scim.error.TooManyRequestsException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One token bucket per tenant (Bucket4j, in memory, per gateway instance), sized by the tenant's
 * rate limit from the {@link TenantView}. A changed limit starts a fresh bucket. The limit holds
 * per instance: behind a load balancer with n gateways a tenant may get up to n times it (see
 * docs/operations.md, "Rate limits").
 */
@ApplicationScoped
public class RateLimiter {

  /**
   * Used for a tenant the view does not (yet) carry a limit for; the same as the registry's default
   * for a new tenant. 50/s is twice the 25/s per tenant Microsoft requires of a SCIM endpoint, and
   * the burst of 500 absorbs a validation run on top of a job at that rate (docs/operations.md,
   * "Rate limits", with the measurement).
   */
  public static final RateLimit DEFAULT = new RateLimit(50, 500);

  private record TenantBucket(RateLimit limit, Bucket bucket) {}

  private final TenantView view;
  private final TimeMeter clock;
  private final Map<String, TenantBucket> buckets = new ConcurrentHashMap<>();

  @Inject
  public RateLimiter(TenantView view) {
    this(view, TimeMeter.SYSTEM_NANOTIME);
  }

  /** With a clock of the caller's, so a test can replay a workload in simulated time. */
  RateLimiter(TenantView view, TimeMeter clock) {
    this.view = view;
    this.clock = clock;
  }

  /** Takes one token of the tenant's bucket, or throws 429 with the seconds until the next. */
  public void acquire(Tenant tenant) {
    RateLimit limit = limitOf(tenant);
    TenantBucket current =
        buckets.compute(
            tenant.id(),
            (id, existing) ->
                existing != null && existing.limit().equals(limit)
                    ? existing
                    : new TenantBucket(limit, bucket(limit, clock)));
    ConsumptionProbe probe = current.bucket().tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      throw refusal(
          limit,
          Math.max(
              1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L)));
    }
  }

  /** The tenant's limit as the view has it, or {@link #DEFAULT}. */
  public RateLimit limitOf(Tenant tenant) {
    return view.tenant(tenant.id()).map(t -> t.rateLimit()).orElse(DEFAULT);
  }

  /** The 429 for a tenant over {@code limit}, to come back after {@code seconds} (at least 1). */
  static TooManyRequestsException refusal(RateLimit limit, long seconds) {
    return new TooManyRequestsException(
        "this tenant sends more than "
            + limit.requestsPerSecond()
            + " requests per second; retry after "
            + seconds
            + " s",
        seconds);
  }

  private static Bucket bucket(RateLimit limit, TimeMeter clock) {
    return Bucket.builder()
        .addLimit(
            l ->
                l.capacity(limit.burst())
                    .refillGreedy(limit.requestsPerSecond(), Duration.ofSeconds(1)))
        .withCustomTimePrecision(clock)
        .build();
  }
}
