package io.provisioninghub.gateway.password;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void hashesOnItsOwnWorkersAndAnswersOnTheCallersEventLoop() throws Exception {
    AtomicReference<String> hashedOn = new AtomicReference<>();
    AtomicReference<Boolean> hashedOnEventLoop = new AtomicReference<>();
    PasswordHasher hasher =
        new PasswordHasher(
            password -> {
              hashedOn.set(Thread.currentThread().getName());
              hashedOnEventLoop.set(Context.isOnEventLoopThread());
              return "hash-of-" + password.length();
            },
            vertx.createSharedWorkerExecutor(PasswordHasher.POOL, 1));
    CompletableFuture<String> answeredOn = new CompletableFuture<>();
    CompletableFuture<String> result = new CompletableFuture<>();

    vertx.runOnContext(
        v ->
            hasher
                .hash("secret")
                .subscribe()
                .with(
                    hash -> {
                      answeredOn.complete(
                          Context.isOnEventLoopThread() ? "event-loop" : "elsewhere");
                      result.complete(hash);
                    },
                    result::completeExceptionally));

    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("hash-of-6");
    assertThat(hashedOnEventLoop.get()).isFalse();
    assertThat(hashedOn.get()).startsWith(PasswordHasher.POOL);
    assertThat(answeredOn.get()).isEqualTo("event-loop");
  }

  @Test
  void argon2idHashesVerifyAndAreSaltedAndCarryTheirParameters() {
    Argon2id argon2 = new Argon2id(19456, 2, 1);

    String first = argon2.hash("correct horse");
    String second = argon2.hash("correct horse");

    assertThat(first).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("correct");
    assertThat(first).isNotEqualTo(second);
    assertThat(Argon2id.verify(first, "correct horse")).isTrue();
    assertThat(Argon2id.verify(first, "correct horsf")).isFalse();
    // A hash made with other parameters still verifies: each hash names its own.
    assertThat(Argon2id.verify(new Argon2id(1024, 1, 1).hash("x"), "x")).isTrue();
    assertThat(Argon2id.verify("not a hash", "x")).isFalse();
  }
}
