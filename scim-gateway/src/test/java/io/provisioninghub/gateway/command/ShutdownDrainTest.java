package io.provisioninghub.gateway.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.scim.error.ServiceUnavailableException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Writes waiting for their outcome when shutdown starts. */
class ShutdownDrainTest {

  final ShutdownDrain drain = new ShutdownDrain(config());

  @Test
  void anOutcomeArrivingWithinTheGraceIsTheAnswer() throws Exception {
    CompletableFuture<String> outcome = new CompletableFuture<>();
    UniAssertSubscriber<String> write =
        drain
            .track(Uni.createFrom().completionStage(outcome))
            .subscribe()
            .withSubscriber(UniAssertSubscriber.create());
    Thread stopping = new Thread(() -> drain.onShutdownStarting(null));
    stopping.start();

    outcome.complete("applied");

    write.awaitItem().assertItem("applied");
    stopping.join(); // returns once nothing waits any more
    assertThat(drain.draining()).isTrue();
  }

  @Test
  void writesAnsweredBeforeShutdownLeaveNothingBehind() {
    for (int i = 0; i < 3; i++) {
      drain
          .track(Uni.createFrom().item("applied " + i))
          .subscribe()
          .withSubscriber(UniAssertSubscriber.create())
          .awaitItem()
          .assertItem("applied " + i);
    }
    assertThat(drain.draining()).isFalse();
    assertThat(drain.waiting()).isZero();
  }

  @Test
  void aWriteStillWaitingAfterTheGraceIsAnswered503WithRetryAfter() {
    UniAssertSubscriber<String> write =
        drain
            .track(Uni.createFrom().<String>nothing())
            .subscribe()
            .withSubscriber(UniAssertSubscriber.create());

    drain.onShutdownStarting(null);

    Throwable failure = write.awaitFailure().getFailure();
    assertThat(failure).isInstanceOf(ServiceUnavailableException.class);
    assertThat(((ServiceUnavailableException) failure).retryAfterSeconds()).isEqualTo(5);
    assertThat(failure.getMessage()).contains("may or may not be applied").contains("retrying");
  }

  private static GatewayConfig config() {
    return (GatewayConfig)
        Proxy.newProxyInstance(
            GatewayConfig.class.getClassLoader(),
            new Class<?>[] {GatewayConfig.class},
            (self, method, args) ->
                switch (method.getName()) {
                  case "retryAfterSeconds" -> 5L;
                  case "shutdownGraceMs" -> 200L;
                  default -> null;
                });
  }
}
