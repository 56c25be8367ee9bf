package io.provisioninghub.processor.apply;

import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.util.Optional;

/** Classifies failures of an apply: a conflict is an answer, a transient error is retried. */
public final class Failures {

  private static final String UNIQUE_VIOLATION = "23505";

  private Failures() {}

  /** The name of the unique constraint that was violated, if that is what happened. */
  public static Optional<String> uniqueViolation(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
        return Optional.of(pg.getConstraint() == null ? "" : pg.getConstraint());
      }
      if (t instanceof org.hibernate.exception.ConstraintViolationException cv
          && cv.getConstraintName() != null) {
        return Optional.of(cv.getConstraintName());
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }

  /**
   * Whether retrying the same command later may succeed: the database or the broker was
   * unreachable, or the transaction lost a serialization race.
   */
  public static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof io.smallrye.mutiny.CompositeException composite
          && composite.getCauses().stream().anyMatch(Failures::isTransient)) {
        // e.g. the connection reset by a database restart, plus the failed rollback after it
        return true;
      }
      if (t instanceof ConnectException
          || t instanceof java.net.SocketException // connection reset by a database restart
          || t instanceof java.nio.channels.ClosedChannelException
          || t instanceof io.vertx.core.impl.NoStackTraceThrowable
          || t instanceof io.netty.channel.ConnectTimeoutException
          || t instanceof java.util.concurrent.TimeoutException
          || t instanceof io.vertx.sqlclient.ClosedConnectionException) {
        return true;
      }
      if (t instanceof PgException pg && pg.getSqlState() != null) {
        String state = pg.getSqlState();
        if (state.startsWith("08") // connection exception
            || state.startsWith("57P") // admin shutdown, crash shutdown, cannot connect now
            || state.equals("40001") // serialization failure
            || state.equals("40P01") // deadlock detected
            || state.equals("53300") // too many connections
            || state.equals("55P03") // lock_timeout: waited too long for a row lock
            || state.equals("25P03") // idle_in_transaction_session_timeout ended the session
            || state.equals("57014")) { // statement cancelled
          return true;
        }
      }
      if (t instanceof org.apache.kafka.common.errors.RetriableException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
