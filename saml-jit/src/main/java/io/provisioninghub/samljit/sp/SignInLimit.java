package io.provisioninghub.samljit.sp;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.provisioninghub.samljit.SamlJitConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How many SP-initiated sign-ins a tenant may start: anyone can open {@code /saml/<tenant>/login},
 * and each start stores an AuthnRequest id until it is answered or expires. A token bucket per
 * tenant (Bucket4j, in memory, per instance), only for tenants with an identity provider, bounds
 * what such requests can store: at most the burst plus the refill over the request's lifetime.
 */
@ApplicationScoped
public class SignInLimit {

  private final SamlJitConfig.LoginLimit limit;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public SignInLimit(SamlJitConfig config) {
    this.limit = config.loginLimit();
  }

  /** Takes a token of the tenant's bucket, or refuses with 429 and the seconds to wait. */
  public void acquire(String tenant) {
    ConsumptionProbe probe =
        buckets.computeIfAbsent(tenant, t -> bucket()).tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      long seconds =
          Math.max(
              1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
      throw new Refusal(
          429,
          "too_many_sign_ins",
          "too many sign-ins were started for this tenant; try again in " + seconds + " s",
          seconds);
    }
  }

  private Bucket bucket() {
    return Bucket.builder()
        .addLimit(
            Bandwidth.builder()
                .capacity(limit.burst())
                .refillGreedy(limit.refill(), limit.refillPeriod())
                .build())
        .build();
  }
}
