package io.provisioninghub.gateway.auth;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.scim.error.TooManyRequestsException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One token bucket per tenant (Bucket4j, in memory, per gateway instance), sized by the tenant's
 * rate limit from the {@link TenantView}. A changed limit starts a fresh bucket.
 */
@ApplicationScoped
public class RateLimiter {

  /** Used for a tenant the view does not (yet) carry a limit for. */
  static final RateLimit DEFAULT = new RateLimit(25, 100);

  private record TenantBucket(RateLimit limit, Bucket bucket) {}

  private final TenantView view;
  private final Map<String, TenantBucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(TenantView view) {
    this.view = view;
  }

  /** Takes one token of the tenant's bucket, or throws 429 with the seconds until the next. */
  public void acquire(Tenant tenant) {
    RateLimit limit = view.tenant(tenant.id()).map(t -> t.rateLimit()).orElse(DEFAULT);
    TenantBucket current =
        buckets.compute(
            tenant.id(),
            (id, existing) ->
                existing != null && existing.limit().equals(limit)
                    ? existing
                    : new TenantBucket(limit, bucket(limit)));
    ConsumptionProbe probe = current.bucket().tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      long seconds =
          Math.max(
              1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
      throw new TooManyRequestsException(
          "this tenant sends more than "
              + limit.requestsPerSecond()
              + " requests per second; retry after "
              + seconds
              + " s",
          seconds);
    }
  }

  private static Bucket bucket(RateLimit limit) {
    return Bucket.builder()
        .addLimit(
            l ->
                l.capacity(limit.burst())
                    .refillGreedy(limit.requestsPerSecond(), Duration.ofSeconds(1)))
        .build();
  }
}
