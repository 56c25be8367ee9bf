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
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }

  /**
   * The SQL state with which PostgreSQL refused a value of the command for good, if it did: data
   * exceptions (class 22: a string with U+0000 or an escape jsonb cannot hold, an invalid text
   * representation, a value too long or out of range), a not-null or check violation (23502,
   * 23514), or a program limit such as an index row too large (class 54). Applying the same command
   * again gives the same refusal, so it is answered (400), not retried or dead-lettered.
   */
  public static Optional<String> refusal(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof io.smallrye.mutiny.CompositeException composite) {
        for (Throwable cause : composite.getCauses()) {
          Optional<String> state = refusal(cause);
          if (state.isPresent()) {
            return state;
          }
        }
      }
      String state = t instanceof PgException pg ? pg.getSqlState() : null;
      if (state != null
          && (state.startsWith("22")
              || state.equals("23502")
              || state.equals("23514")
              || state.startsWith("54"))) {
        return Optional.of(state);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }

  /**
   * What a refusal means for the client's admin, in plain words and without quoting the value (it
   * may be what cannot be stored, or personal data).
   */
  public static String refusalDetail(String sqlState) {
    return switch (sqlState) {
      case "22021", "22P05" ->
          "a value contains a character that cannot be stored (U+0000 or an invalid Unicode"
              + " sequence); remove it and send the request again";
      case "22001" -> "a value is longer than can be stored; shorten it and send the request again";
      case "22003" -> "a number is out of the range that can be stored";
      case "22P02" -> "a value is not in a form that can be stored (invalid text representation)";
      case "23502" -> "a required value is missing";
      case "23514" -> "a value is not allowed by a rule of the store";
      default ->
          sqlState.startsWith("54")
              ? "the resource is too large to be stored (a value exceeds a storage limit)"
              : "a value cannot be stored as it was sent";
    };
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
