package io.provisioninghub.gateway.command;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How long writes wait for their outcome ({@code phub_gateway_reply_wait_seconds{outcome}}: reply,
 * timeout, unavailable) and how many wait right now ({@code phub_gateway_pending_replies}).
 */
@Singleton
public class ReplyWaitMetrics {

  public static final String WAIT = "phub.gateway.reply.wait";
  public static final String PENDING = "phub.gateway.pending.replies";

  private final MeterRegistry registry;
  private final AtomicInteger pending = new AtomicInteger();

  public ReplyWaitMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(PENDING, pending, AtomicInteger::get)
        .description("Commands sent whose outcome has not arrived yet")
        .register(registry);
  }

  /** The same wait, observed: counted as pending from subscription to its end, then timed. */
  public <T> Uni<T> observe(Uni<T> wait) {
    return Uni.createFrom()
        .deferred(
            () -> {
              pending.incrementAndGet();
              long start = System.nanoTime();
              return wait.onItemOrFailure()
                  .invoke((item, failure) -> record(failure, start))
                  .onTermination()
                  .invoke(pending::decrementAndGet);
            });
  }

  private void record(Throwable failure, long start) {
    Timer.builder(WAIT)
        .description("Time a write waited for its outcome from the processor")
        .tag("outcome", outcome(failure))
        .register(registry)
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }

  static String outcome(Throwable failure) {
    if (failure == null) {
      return "reply";
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CommandSender.ReplyTimeoutException) {
        return "timeout";
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return "unavailable";
  }
}
