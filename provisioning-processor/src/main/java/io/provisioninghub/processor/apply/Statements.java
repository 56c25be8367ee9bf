package io.provisioninghub.processor.apply;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The few shapes in which the processor runs SQL on the transaction's connection. Every statement
 * runs at once, in the order it is asked for, so a later command of a batch reads what an earlier
 * one wrote (there is no session holding rows back).
 */
public final class Statements {

  private Statements() {}

  /** A tuple of the values in order; a null is bound as SQL null. */
  public static Tuple tuple(Object... values) {
    return Tuple.from(values);
  }

  /** Runs one statement. */
  public static Uni<RowSet<Row>> run(SqlConnection connection, String sql, Object... values) {
    return connection.preparedQuery(sql).execute(tuple(values));
  }

  /** Runs one statement and maps its rows. */
  public static <T> Uni<List<T>> list(
      SqlConnection connection, String sql, Function<Row, T> map, Object... values) {
    return run(connection, sql, values)
        .map(
            rows -> {
              List<T> mapped = new ArrayList<>(rows.size());
              for (Row row : rows) {
                mapped.add(map.apply(row));
              }
              return mapped;
            });
  }

  /** Runs one statement and maps its first row; null when it returns none. */
  public static <T> Uni<T> first(
      SqlConnection connection, String sql, Function<Row, T> map, Object... values) {
    return run(connection, sql, values)
        .map(rows -> rows.size() == 0 ? null : map.apply(rows.iterator().next()));
  }

  /** The number of rows a statement changed. */
  public static Uni<Integer> update(SqlConnection connection, String sql, Object... values) {
    return run(connection, sql, values).map(RowSet::rowCount);
  }

  /** Runs one statement once per tuple, in their order, as one batch; nothing for no tuples. */
  public static Uni<Void> batch(SqlConnection connection, String sql, List<Tuple> tuples) {
    if (tuples.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return connection.preparedQuery(sql).executeBatch(tuples).replaceWithVoid();
  }
}
