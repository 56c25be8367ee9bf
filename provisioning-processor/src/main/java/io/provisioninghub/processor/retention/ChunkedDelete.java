package io.provisioninghub.processor.retention;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;

/**
 * Deletes the rows of a table older than a time, a chunk per statement (short transactions, no long
 * lock), until a chunk comes back short: the retention jobs of {@code scim.processed_commands} and
 * {@code scim.event_feed}.
 *
 * @param table the table, schema-qualified
 * @param key the column that identifies a row
 * @param time the column compared with the cut-off
 */
public record ChunkedDelete(String table, String key, String time) {

  /** Deletes every row whose {@code time} is before {@code before}; the number deleted. */
  public Uni<Long> olderThan(Pool pool, OffsetDateTime before, int chunk) {
    return chunks(pool, before, chunk, 0);
  }

  private Uni<Long> chunks(Pool pool, OffsetDateTime before, int chunk, long deleted) {
    return pool.preparedQuery(
            "delete from "
                + table
                + " where "
                + key
                + " = any(array(select "
                + key
                + " from "
                + table
                + " where "
                + time
                + " < $1 limit $2))")
        .execute(Tuple.of(before, chunk))
        .map(RowSet::rowCount)
        .chain(
            count ->
                count < chunk
                    ? Uni.createFrom().item(deleted + count)
                    : chunks(pool, before, chunk, deleted + count));
  }
}
