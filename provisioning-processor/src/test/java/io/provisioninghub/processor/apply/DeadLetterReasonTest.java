package io.provisioninghub.processor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the failure strategy gets at the channel boundary, and so the dead-letter reason header. */
class DeadLetterReasonTest {

  @Test
  void anErrorIsNackedAsAnExceptionNamingIt() {
    Exception wrapped = CommandConsumer.asException(new StackOverflowError());

    assertThat(wrapped)
        .hasMessage("handling the command failed: StackOverflowError")
        .hasCauseInstanceOf(StackOverflowError.class);
  }

  @Test
  void anExceptionIsNackedAsItIs() {
    IllegalStateException failure = new IllegalStateException("stored events unreadable");

    assertThat(CommandConsumer.asException(failure)).isSameAs(failure);
  }
}
