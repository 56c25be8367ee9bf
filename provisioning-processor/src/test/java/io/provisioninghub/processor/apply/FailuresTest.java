package io.provisioninghub.processor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.CompositeException;
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
}
