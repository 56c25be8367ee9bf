package io.provisioninghub.gateway.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.ResourceType;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The ordering the reply race needs: a wait is registered before the command is sent, so a reply
 * that arrives while the send is still waiting for the broker's acknowledgement answers its write.
 * The end-to-end proof on a real broker is {@code GatewayWritePathTest}.
 */
class PendingRepliesTest {

  private final PendingReplies pending = new PendingReplies();

  @Test
  void aReplyThatArrivesBeforeTheSendIsAcknowledgedAnswersTheWrite() {
    ProvisioningCommand command = command();
    ProvisioningOutcome outcome = outcome(command);
    // The "broker" acknowledges only after the reply has been delivered.
    ProvisioningOutcome answered =
        pending
            .exchange(
                command.commandId(),
                () -> {
                  assertThat(pending.complete(command.commandId(), outcome))
                      .as("the reply finds its writer")
                      .isTrue();
                  return Uni.createFrom().voidItem();
                })
            .await()
            .atMost(Duration.ofSeconds(5));
    assertThat(answered).isEqualTo(outcome);
    assertThat(pending.size()).isZero();
  }

  @Test
  void aRefusedSendFailsTheWaitAndForgetsIt() {
    ProvisioningCommand command = command();
    assertThatThrownBy(
            () ->
                pending
                    .exchange(
                        command.commandId(),
                        () -> Uni.createFrom().failure(new IllegalStateException("no broker")))
                    .await()
                    .atMost(Duration.ofSeconds(5)))
        .hasMessageContaining("no broker");
    assertThat(pending.size()).isZero();
    assertThat(pending.complete(command.commandId(), outcome(command))).isFalse();
  }

  @Test
  void aWaitThatTimesOutIsForgottenAndItsLateReplyFindsNobody() {
    ProvisioningCommand command = command();
    assertThatThrownBy(
            () ->
                pending
                    .exchange(command.commandId(), () -> Uni.createFrom().voidItem())
                    .ifNoItem()
                    .after(Duration.ofMillis(50))
                    .fail()
                    .await()
                    .atMost(Duration.ofSeconds(5)))
        .isInstanceOf(io.smallrye.mutiny.TimeoutException.class);
    assertThat(pending.size()).isZero();
    assertThat(pending.complete(command.commandId(), outcome(command))).isFalse();
  }

  @Test
  void anUnreadableReplyFailsItsWrite() {
    ProvisioningCommand command = command();
    assertThatThrownBy(
            () ->
                pending
                    .exchange(
                        command.commandId(),
                        () -> {
                          pending.fail(command.commandId(), new IllegalArgumentException("junk"));
                          return Uni.createFrom().voidItem();
                        })
                    .await()
                    .atMost(Duration.ofSeconds(5)))
        .hasMessageContaining("junk");
    assertThat(pending.size()).isZero();
  }

  private static ProvisioningCommand command() {
    return new ProvisioningCommand(
        UUID.randomUUID(),
        "t1",
        ResourceType.User,
        UUID.randomUUID().toString(),
        Operation.DELETE,
        null,
        Instant.now(),
        null,
        "scim",
        null);
  }

  private static ProvisioningOutcome outcome(ProvisioningCommand command) {
    return ProvisioningOutcome.applied(command, 204, null, 0, Instant.now());
  }
}
