package io.provisioninghub.processor.tenants;

import io.provisioninghub.contracts.TenantPurged;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Removes every {@code scim.*} row of a deleted tenant, in chunks of {@code
 * phub.processor.purge.chunk-size} rows per statement, each its own short transaction, so a large
 * tenant never holds locks for long. Idempotent: a purge interrupted by a crash starts again and
 * removes what is left; a purge already done is only reported again.
 */
@ApplicationScoped
public class TenantPurger {

  private static final Logger LOG = Logger.getLogger(TenantPurger.class);

  /**
   * Child tables first: memberships name groups and users. The shared rate limit's bucket goes too,
   * so a tenant created again with the same id starts with a full one.
   */
  static final List<String> TABLES =
      List.of(
          "group_members",
          "groups",
          "users",
          "unique_values",
          "event_feed",
          "processed_commands",
          "rate_limit_buckets");

  private final Pool pool;
  private final PurgeConfig config;

  public TenantPurger(Pool pool, PurgeConfig config) {
    this.pool = pool;
    this.config = config;
  }

  /**
   * Purges one deleted tenant and says so.
   *
   * @param tenantId the tenant
   * @param tenantCreatedAt which life of the id is deleted
   * @param requestedAt when the registry asked (the DELETING snapshot's updatedAt)
   */
  public Uni<TenantPurged> purge(String tenantId, Instant tenantCreatedAt, Instant requestedAt) {
    OffsetDateTime created = utc(tenantCreatedAt);
    return mark(tenantId, created, requestedAt)
        .chain(
            purged -> {
              if (purged != null) {
                LOG.infof("tenant %s was purged already; reporting it again", tenantId);
                return Uni.createFrom().item(purged);
              }
              return deleteAll(tenantId, 0, 0).chain(rows -> finish(tenantId, created, rows));
            });
  }

  /**
   * Marks the tenant as purging (under the exclusive lock, see {@link DeletedTenants}); returns the
   * report if it was purged before.
   */
  private Uni<TenantPurged> mark(String tenantId, OffsetDateTime created, Instant requestedAt) {
    return pool.withTransaction(
        c ->
            c.preparedQuery(
                    "select pg_advisory_xact_lock(" + DeletedTenants.LOCK_SPACE + ", hashtext($1))")
                .execute(Tuple.of(tenantId))
                .chain(
                    () ->
                        c.preparedQuery(
                                "insert into scim.tenant_purges (tenant_id, tenant_created_at,"
                                    + " deletion_requested_at, state, started_at)"
                                    + " values ($1, $2, $3, 'PURGING', now())"
                                    + " on conflict (tenant_id, tenant_created_at) do nothing")
                            .execute(Tuple.of(tenantId, created, utc(requestedAt))))
                .chain(
                    () ->
                        c.preparedQuery(
                                "select state, purged_at, rows_deleted from scim.tenant_purges"
                                    + " where tenant_id = $1 and tenant_created_at = $2")
                            .execute(Tuple.of(tenantId, created)))
                .map(
                    rows -> {
                      Row row = rows.iterator().next();
                      if (!"PURGED".equals(row.getString("state"))) {
                        return null;
                      }
                      return new TenantPurged(
                          tenantId,
                          created.toInstant(),
                          row.getOffsetDateTime("purged_at").toInstant(),
                          row.getLong("rows_deleted"));
                    }));
  }

  /** Deletes chunk after chunk, table after table, until none of the tenant's rows is left. */
  private Uni<Long> deleteAll(String tenantId, int table, long deleted) {
    if (table == TABLES.size()) {
      return Uni.createFrom().item(deleted);
    }
    String name = TABLES.get(table);
    int chunk = config.chunkSize();
    return pool.preparedQuery(
            "delete from scim."
                + name
                + " where ctid = any(array(select ctid from scim."
                + name
                + " where tenant_id = $1 limit $2))")
        .execute(Tuple.of(tenantId, chunk))
        .map(RowSet::rowCount)
        .chain(
            count ->
                count == 0
                    ? deleteAll(tenantId, table + 1, deleted)
                    : deleteAll(tenantId, table, deleted + count));
  }

  private Uni<TenantPurged> finish(String tenantId, OffsetDateTime created, long rows) {
    OffsetDateTime now = utc(Instant.now());
    return pool.preparedQuery(
            "update scim.tenant_purges set state = 'PURGED', purged_at = $3, rows_deleted = $4"
                + " where tenant_id = $1 and tenant_created_at = $2")
        .execute(Tuple.of(tenantId, created, now, rows))
        .map(
            done -> {
              LOG.infof("tenant %s purged: %d scim rows deleted", tenantId, rows);
              return new TenantPurged(tenantId, created.toInstant(), now.toInstant(), rows);
            });
  }

  private static OffsetDateTime utc(Instant at) {
    return OffsetDateTime.ofInstant(at, ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
