package io.provisioninghub.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.gateway.ScimSchema;
import io.provisioninghub.gateway.TestTenants;
import io.provisioninghub.scim.error.TooManyRequestsException;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.PostgresServer;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared rate limit ({@code phub.gateway.rate-limit.shared=true}) with two limiter instances,
 * as two gateways would have them, on the real PostgreSQL: one bucket per tenant for both; and when
 * the store is slow or down, each instance's own bucket decides, counted, never an error.
 */
class SharedRateLimitTest {

  static Vertx vertx;
  static PostgresServer postgres;
  final List<TenantRateLimit> limiters = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    ScimSchema.ensure();
    postgres = Infrastructure.shared().postgres();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @AfterEach
  void close() {
    limiters.forEach(TenantRateLimit::close);
  }

  @Test
  void twoGatewayInstancesShareOneBucketPerTenant() {
    Tenant tenant = new Tenant("shared-" + UUID.randomUUID());
    RateLimit limit = new RateLimit(1, 20);
    TenantRateLimit first =
        limiter(tenant, limit, postgres.reactiveUrl(), new SimpleMeterRegistry());
    TenantRateLimit second =
        limiter(tenant, limit, postgres.reactiveUrl(), new SimpleMeterRegistry());

    long start = System.nanoTime();
    int admittedByFirst = 0;
    int admittedBySecond = 0;
    List<Long> retryAfters = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      TenantRateLimit gateway = i % 2 == 0 ? first : second;
      try {
        gateway.acquire(tenant).await().atMost(Duration.ofSeconds(5));
        if (gateway == first) {
          admittedByFirst++;
        } else {
          admittedBySecond++;
        }
      } catch (TooManyRequestsException e) {
        retryAfters.add(e.retryAfterSeconds());
      }
    }
    long elapsedSeconds = Duration.ofNanos(System.nanoTime() - start).toSeconds() + 1;

    // Each instance alone would have admitted 20 of its 20; together they get the one burst of 20
    // (plus what refilled at 1/s meanwhile).
    assertThat(admittedByFirst + admittedBySecond).isBetween(20, 20 + (int) elapsedSeconds);
    assertThat(admittedByFirst).isGreaterThanOrEqualTo(10);
    assertThat(admittedBySecond).isGreaterThanOrEqualTo(10);
    assertThat(retryAfters).isNotEmpty().allSatisfy(s -> assertThat(s).isEqualTo(1L));
  }

  @Test
  void anInstanceTakesATenantsTokensAFewAtATime() {
    // 50/s, burst 500 (the default): leases of 5 tokens, so 10 requests cost 2 round trips.
    Tenant tenant = new Tenant("lease-" + UUID.randomUUID());
    RateLimit limit = new RateLimit(50, 500);
    assertThat(TenantRateLimit.leaseSize(limit, 100)).isEqualTo(5);
    assertThat(TenantRateLimit.leaseSize(new RateLimit(1, 20), 100)).isEqualTo(1);
    assertThat(TenantRateLimit.leaseSize(new RateLimit(100_000, 100_000), 100)).isEqualTo(100);
    assertThat(TenantRateLimit.leaseSize(limit, 1)).isEqualTo(1);
    // A timeout no loaded test machine reaches: every request here is decided by the store.
    TenantRateLimit gateway =
        limiter(
            tenant,
            limit,
            postgres.reactiveUrl(),
            new SimpleMeterRegistry(),
            Duration.ofSeconds(5));
    long before = gateway.storeCalls.get();
    for (int i = 0; i < 10; i++) {
      gateway.acquire(tenant).await().atMost(Duration.ofSeconds(5));
    }
    assertThat(gateway.storeCalls.get() - before).isEqualTo(2);
    assertThat(gateway.fallingBack()).isFalse();
  }

  @Test
  void perInstanceLimitersEachAdmitTheWholeBurst() {
    // The default, for contrast: the same traffic through two per-instance limiters.
    Tenant tenant = new Tenant("local-" + UUID.randomUUID());
    TenantView view = view(tenant, new RateLimit(1, 20));
    TenantRateLimit first = new TenantRateLimit(new RateLimiter(view));
    TenantRateLimit second = new TenantRateLimit(new RateLimiter(view));
    int admitted = 0;
    for (int i = 0; i < 40; i++) {
      try {
        (i % 2 == 0 ? first : second).acquire(tenant).await().atMost(Duration.ofSeconds(5));
        admitted++;
      } catch (TooManyRequestsException e) {
        // counted by omission
      }
    }
    assertThat(first.shared()).isFalse();
    assertThat(admitted).isEqualTo(40);
  }

  @Test
  void aSlowStoreFallsBackToTheInstanceLimitAndIsAskedAgainAfterTheBackoff() throws Exception {
    Tenant tenant = new Tenant("slow-" + UUID.randomUUID());
    MeterRegistry registry = new SimpleMeterRegistry();
    TenantRateLimit gateway =
        limiter(tenant, new RateLimit(1, 3), postgres.reactiveUrl(), registry);
    // The first call connects and may take longer than the timeout: warm up on another tenant
    // until the store answers, then create this tenant's row through the store.
    Tenant warmUp = new Tenant("warm-up-" + UUID.randomUUID());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              double before = fellBack(registry);
              gateway.acquire(warmUp).await().atMost(Duration.ofSeconds(5));
              assertThat(fellBack(registry)).isEqualTo(before);
            });
    gateway.acquire(tenant).await().atMost(Duration.ofSeconds(5));
    assertThat(rowExists(tenant)).isTrue();
    double fellBackBefore = fellBack(registry);

    try (Connection lock = postgres.connect()) {
      lock.setAutoCommit(false);
      try (PreparedStatement forUpdate =
          lock.prepareStatement(
              "select tokens from scim.rate_limit_buckets where tenant_id = ? for update")) {
        forUpdate.setString(1, tenant.id());
        forUpdate.executeQuery().close();
      }
      // The store now blocks on the row: the instance's own bucket (burst 3) decides at once.
      long start = System.nanoTime();
      for (int i = 0; i < 3; i++) {
        gateway.acquire(tenant).await().atMost(Duration.ofSeconds(5));
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThatThrownBy(() -> gateway.acquire(tenant).await().atMost(Duration.ofSeconds(5)))
          .isInstanceOf(TooManyRequestsException.class);
      // one request waited for the store, the next three did not ask it
      assertThat(fellBack(registry) - fellBackBefore).isEqualTo(4);
      assertThat(fallbacks(registry, "backoff")).isGreaterThanOrEqualTo(3);
      lock.rollback();
    }

    // Once the backoff (1 s) is over, the shared bucket decides again: its row is taken from.
    double before = tokens(tenant);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              try {
                gateway.acquire(tenant).await().atMost(Duration.ofSeconds(5));
              } catch (TooManyRequestsException e) {
                // the shared bucket, empty, refusing is fine too
              }
              assertThat(tokens(tenant)).isNotEqualTo(before);
            });
  }

  @Test
  void aStoreThatIsDownNeverFailsARequestBeyondTheInstanceLimit() throws Exception {
    Tenant tenant = new Tenant("down-" + UUID.randomUUID());
    MeterRegistry registry = new SimpleMeterRegistry();
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    TenantRateLimit gateway =
        limiter(
            tenant,
            new RateLimit(1, 2),
            "postgresql://127.0.0.1:" + closedPort + "/" + postgres.database(),
            registry);

    gateway.acquire(tenant).await().atMost(Duration.ofSeconds(5));
    gateway.acquire(tenant).await().atMost(Duration.ofSeconds(5));
    assertThatThrownBy(() -> gateway.acquire(tenant).await().atMost(Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(
            TooManyRequestsException.class,
            e -> assertThat(e.retryAfterSeconds()).isGreaterThanOrEqualTo(1));
    assertThat(fallbacks(registry, "error") + fallbacks(registry, "timeout")).isEqualTo(1);
    assertThat(fallbacks(registry, "backoff")).isEqualTo(2);
  }

  private TenantRateLimit limiter(
      Tenant tenant, RateLimit limit, String url, MeterRegistry registry) {
    return limiter(tenant, limit, url, registry, Duration.ofMillis(200));
  }

  private TenantRateLimit limiter(
      Tenant tenant, RateLimit limit, String url, MeterRegistry registry, Duration timeout) {
    SharedBucketStore store =
        SharedBucketStore.connect(vertx, url, postgres.user(), postgres.password(), 2, timeout);
    TenantRateLimit limiter =
        new TenantRateLimit(
            new RateLimiter(view(tenant, limit)),
            store,
            timeout,
            Duration.ofSeconds(1),
            100,
            registry);
    limiters.add(limiter);
    return limiter;
  }

  private static TenantView view(Tenant tenant, RateLimit limit) {
    TenantView view = new TenantView();
    view.apply(
        TestTenants.snapshot(
            tenant.id(),
            1,
            TenantStatus.ACTIVE,
            limit,
            List.of(TestTenants.credential(TestTenants.newSecret(), null))));
    return view;
  }

  private static double fallbacks(MeterRegistry registry, String reason) {
    return registry.counter(TenantRateLimit.FALLBACKS, "reason", reason).count();
  }

  private static double fellBack(MeterRegistry registry) {
    return fallbacks(registry, "timeout")
        + fallbacks(registry, "error")
        + fallbacks(registry, "backoff");
  }

  private static boolean rowExists(Tenant tenant) throws Exception {
    try (Connection c = postgres.connect();
        PreparedStatement select =
            c.prepareStatement("select 1 from scim.rate_limit_buckets where tenant_id = ?")) {
      select.setString(1, tenant.id());
      try (ResultSet rs = select.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static double tokens(Tenant tenant) throws Exception {
    try (Connection c = postgres.connect();
        PreparedStatement select =
            c.prepareStatement("select tokens from scim.rate_limit_buckets where tenant_id = ?")) {
      select.setString(1, tenant.id());
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getDouble(1);
      }
    }
  }
}
