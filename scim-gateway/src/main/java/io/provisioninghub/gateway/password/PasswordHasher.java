package io.provisioninghub.gateway.password;

import io.provisioninghub.gateway.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.function.UnaryOperator;

/**
 * Hashes passwords of tenants whose policy is {@code hash}, on a small worker pool of its own:
 * never on the event loop (one hash takes tens of milliseconds), and never more at once than the
 * pool has threads (each hash holds {@code phub.gateway.password.memory-kib} while it runs).
 * Results come back on the caller's Vert.x context.
 */
@Singleton
public class PasswordHasher {

  /** The worker pool's name; its threads are named after it. */
  public static final String POOL = "phub-password-hash";

  private final UnaryOperator<String> hashFunction;
  private final WorkerExecutor workers;

  @Inject
  public PasswordHasher(GatewayConfig config, Vertx vertx) {
    this(argon2(config.password())::hash, vertx.createSharedWorkerExecutor(POOL, threads(config)));
  }

  PasswordHasher(UnaryOperator<String> hashFunction, WorkerExecutor workers) {
    this.hashFunction = hashFunction;
    this.workers = workers;
  }

  /** The PHC string of a new salted Argon2id hash of {@code password}. */
  public Uni<String> hash(String password) {
    return Uni.createFrom()
        .completionStage(
            () ->
                workers
                    .executeBlocking(() -> hashFunction.apply(password), false)
                    .toCompletionStage());
  }

  @PreDestroy
  void close() {
    workers.close();
  }

  private static Argon2id argon2(GatewayConfig.Password p) {
    return new Argon2id(p.memoryKib(), p.iterations(), p.parallelism());
  }

  private static int threads(GatewayConfig config) {
    int configured = config.password().hashThreads();
    return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }
}
