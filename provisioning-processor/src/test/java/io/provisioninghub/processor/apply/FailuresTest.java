package io.provisioninghub.processor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.CompositeException;
import io.vertx.pgclient.PgException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/** Which failures of an apply are retried rather than dead-lettered. */
class FailuresTest {

  @Test
  void aConnectionResetByADatabaseRestartIsTransient() {
    // As Hibernate Reactive reports it when PostgreSQL restarts mid-transaction (seen by the chaos
    // suite): the reset plus the failed rollback, together.
    CompositeException failure =
        new CompositeException(
            new SocketException("Connection reset"),
            new IllegalStateException(
                "HR000090: Live transaction detected while closing the connection"));

    assertThat(Failures.isTransient(failure)).isTrue();
    assertThat(Failures.isTransient(new RuntimeException(new SocketException("Connection reset"))))
        .isTrue();
  }

  @Test
  void aBugIsNotTransient() {
    assertThat(Failures.isTransient(new IllegalStateException("command seen for another tenant")))
        .isFalse();
    assertThat(
            Failures.isTransient(
                new CompositeException(new IllegalStateException("a"), new NullPointerException())))
        .isFalse();
  }

  @Test
  void valuesPostgresRefusesForGoodAreRefusalsNotTransient() {
    for (String state : new String[] {"22021", "22P05", "22P02", "22001", "23502", "23514"}) {
      PgException refused = new PgException("refused", "ERROR", state, null);
      assertThat(Failures.refusal(new RuntimeException(refused))).contains(state);
      assertThat(Failures.isTransient(refused)).isFalse();
      assertThat(Failures.refusalDetail(state)).isNotBlank();
    }
    assertThat(Failures.refusal(new PgException("too big", "ERROR", "54000", null)))
        .contains("54000");
    assertThat(Failures.refusalDetail("54000")).contains("too large");
    assertThat(
            Failures.refusal(
                new CompositeException(
                    new PgException("x", "ERROR", "22021", null),
                    new IllegalStateException("rollback"))))
        .contains("22021");
  }

  @Test
  void conflictsAndOutagesAreNotRefusals() {
    assertThat(Failures.refusal(new PgException("dup", "ERROR", "23505", null))).isEmpty();
    assertThat(Failures.refusal(new PgException("busy", "ERROR", "40001", null))).isEmpty();
    assertThat(Failures.refusal(new SocketException("Connection reset"))).isEmpty();
    assertThat(Failures.refusal(new StackOverflowError())).isEmpty();
  }
}
