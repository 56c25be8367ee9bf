package io.provisioninghub.gateway.auth;

import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;

/**
 * The tenants' token buckets shared by every gateway instance: one row per tenant in {@code
 * scim.rate_limit_buckets}, taken from, a few tokens at a time, by the processor-owned function
 * {@code scim.take_rate_limit_tokens} in one round trip. Its own small pool, because the gateway's
 * read pool is read-only.
 */
final class SharedBucketStore implements AutoCloseable {

  static final String TAKE =
      "select granted, wait_seconds from scim.take_rate_limit_tokens($1, $2, $3, $4)";

  /** What the shared bucket gave: {@code granted} tokens, or none and when to come back. */
  record Taken(int granted, double waitSeconds) {}

  private final Pool pool;

  private SharedBucketStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * A store on {@code url}; connects lazily, so a database that is down at start only means the
   * first requests fall back to the local buckets.
   */
  static SharedBucketStore connect(
      Vertx vertx, String url, String user, String password, int poolSize, Duration timeout) {
    PgConnectOptions connect = PgConnectOptions.fromUri(url);
    if (user != null) {
      connect.setUser(user);
    }
    if (password != null) {
      connect.setPassword(password);
    }
    connect
        .setCachePreparedStatements(true)
        .setConnectTimeout((int) Math.max(1000, timeout.toMillis()))
        // The server gives up too once no one waits for the answer any more.
        .addProperty("statement_timeout", Long.toString(Math.max(1, timeout.toMillis())))
        .addProperty("default_transaction_read_only", "off")
        // The bucket's row is locked until commit: never wait for the disk (the table is unlogged).
        .addProperty("synchronous_commit", "off")
        .addProperty("application_name", "scim-gateway-rate-limits");
    PoolOptions options =
        new PoolOptions()
            .setMaxSize(poolSize)
            // Beyond this many waiting requests the store is too slow: fail at once, fall back.
            .setMaxWaitQueueSize(poolSize * 64)
            .setName("rate-limits");
    return new SharedBucketStore(
        Pool.newInstance(
            PgBuilder.pool().with(options).connectingTo(connect).using(vertx).build()));
  }

  /** Takes up to {@code wanted} tokens (at least one if the bucket has one). */
  Uni<Taken> take(String tenantId, RateLimit limit, int wanted) {
    return pool.preparedQuery(TAKE)
        .execute(
            Tuple.of(tenantId, (double) limit.requestsPerSecond(), (double) limit.burst(), wanted))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new Taken(row.getInteger("granted"), row.getDouble("wait_seconds"));
            });
  }

  @Override
  public void close() {
    pool.closeAndAwait();
  }
}
