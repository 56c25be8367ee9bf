package io.provisioninghub.support.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work in one JDBC transaction: committed if the work returns, rolled back if it throws. A
 * plain class: each service that has a JDBC data source makes it a bean with a producer (this
 * module is a bean archive for services without one, too).
 */
public class Db {

  /** Work on a connection inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource dataSource;

  public Db(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public <T> T inTransaction(Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (RuntimeException | SQLException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new DataAccessException(e);
    }
  }

  /** A database failure that is not the caller's fault. */
  public static class DataAccessException extends IllegalStateException {
    public DataAccessException(SQLException cause) {
      super("database: " + cause.getMessage(), cause);
    }

    /** True for a unique-constraint violation (SQL state 23505). */
    public boolean isUniqueViolation() {
      return getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState());
    }
  }
}
