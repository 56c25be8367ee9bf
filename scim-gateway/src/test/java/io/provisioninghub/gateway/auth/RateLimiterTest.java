package io.provisioninghub.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.TimeMeter;
import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.gateway.TestTenants;
import io.provisioninghub.scim.error.TooManyRequestsException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The default limit replayed against the workloads it is chosen for, in simulated time (each
 * request is one {@code acquire} at the instant it arrives):
 *
 * <ul>
 *   <li>one Entra provisioning job at 25 requests/s, the rate Microsoft requires a SCIM endpoint to
 *       sustain per tenant, sent as it is worst for a token bucket: each second's 25 requests back
 *       to back at the start of the second;
 *   <li>on top of it, validation runs: 100 requests over 10 connections at 10 ms a request, that is
 *       10 requests every 10 ms, twice in two minutes;
 *   <li>a runaway tenant sending 1,000 requests/s for a minute.
 * </ul>
 */
class RateLimiterTest {

  static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

  /** Arrival times (ns) of an Entra job at 25/s and two validation bursts, in order. */
  static List<Long> entraJobWithValidationBursts() {
    List<Long> arrivals = new ArrayList<>();
    for (int second = 0; second < 120; second++) {
      for (int i = 0; i < 25; i++) {
        arrivals.add(second * SECOND + i * 10_000L);
      }
      if (second == 30 || second == 90) {
        // just after the job's burst of that second
        for (int step = 0; step < 10; step++) {
          for (int connection = 0; connection < 10; connection++) {
            arrivals.add(second * SECOND + MILLI + step * 10 * MILLI);
          }
        }
      }
    }
    arrivals.sort(Long::compare);
    return arrivals;
  }

  @Test
  void defaultLetsAnEntraJobAtItsPeakAndValidationBurstsThroughWithout429() {
    assertThat(refused(null, entraJobWithValidationBursts())).isEqualTo(0);
  }

  @Test
  void aLimitOnMicrosoftsFloorRefusesPartOfTheValidationBurst() {
    // The former default sits exactly on the 25/s floor: the first burst finds what the job left,
    // and as the job then takes the whole refill, the bucket stays empty for the second (121 of
    // the 200 burst requests refused).
    assertThat(refused(new RateLimit(25, 100), entraJobWithValidationBursts()))
        .isGreaterThanOrEqualTo(100);
  }

  @Test
  void aRunawayTenantIsHeldToTheDefaultRate() {
    List<Long> arrivals = new ArrayList<>();
    for (long t = 0; t < 60 * SECOND; t += MILLI) {
      arrivals.add(t);
    }
    int refused = refused(null, arrivals);
    int admitted = arrivals.size() - refused;
    // burst + 60 s at the sustained rate, nothing more
    long expected = RateLimiter.DEFAULT.burst() + 60L * RateLimiter.DEFAULT.requestsPerSecond();
    assertThat(admitted).isBetween((int) expected - 5, (int) expected + 5);
  }

  @Test
  void everyRefusalSaysWhenToComeBack() {
    SimulatedClock clock = new SimulatedClock();
    RateLimiter limiter = limiter(new RateLimit(1, 2), clock);
    Tenant tenant = new Tenant("t");
    limiter.acquire(tenant);
    limiter.acquire(tenant);
    try {
      limiter.acquire(tenant);
      throw new AssertionError("the third request within the same instant must be refused");
    } catch (TooManyRequestsException e) {
      assertThat(e.status()).isEqualTo(429);
      assertThat(e.retryAfterSeconds()).isEqualTo(1);
    }
  }

  private static int refused(RateLimit limit, List<Long> arrivals) {
    SimulatedClock clock = new SimulatedClock();
    RateLimiter limiter = limiter(limit, clock);
    Tenant tenant = new Tenant("t");
    int refused = 0;
    for (long at : arrivals) {
      clock.now.set(at);
      try {
        limiter.acquire(tenant);
      } catch (TooManyRequestsException e) {
        refused++;
      }
    }
    return refused;
  }

  /** A limiter whose tenant {@code t} has {@code limit}, or no limit in the view (the default). */
  private static RateLimiter limiter(RateLimit limit, TimeMeter clock) {
    TenantView view = new TenantView();
    if (limit != null) {
      view.apply(
          TestTenants.snapshot(
              "t",
              1,
              TenantStatus.ACTIVE,
              limit,
              List.of(TestTenants.credential(TestTenants.newSecret(), null))));
    }
    return new RateLimiter(view, clock);
  }

  static final class SimulatedClock implements TimeMeter {
    final AtomicLong now = new AtomicLong();

    @Override
    public long currentTimeNanos() {
      return now.get();
    }

    @Override
    public boolean isWallClockBased() {
      return false;
    }
  }
}
