package io.provisioninghub.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * Runs one request shape for a bounded time. Closed loop: {@code connections} clients, each sending
 * its next request when the previous one answered. Open loop: requests start on a fixed schedule at
 * {@code rate} per second and latency is measured from the scheduled start, so a stall is charged
 * to every request it delayed (coordinated omission corrected).
 */
final class Driver {

  private Driver() {}

  /** {@code next} builds and starts one request whose latency counts from the given nanos. */
  static void run(Options options, Stats stats, LongFunction<CompletableFuture<?>> next)
      throws InterruptedException {
    if (!options.warmup().isZero()) {
      stats.pause();
      loop(options, next, options.warmup());
      stats.resume();
    }
    loop(options, next, options.duration());
  }

  private static void loop(
      Options options, LongFunction<CompletableFuture<?>> next, Duration length)
      throws InterruptedException {
    long end = System.nanoTime() + length.toNanos();
    if (options.rate() <= 0) {
      List<Thread> clients = new ArrayList<>();
      for (int i = 0; i < options.connections(); i++) {
        Thread t =
            new Thread(
                () -> {
                  while (System.nanoTime() < end) {
                    next.apply(System.nanoTime()).join();
                  }
                },
                "client-" + i);
        t.start();
        clients.add(t);
      }
      for (Thread t : clients) {
        t.join();
      }
      return;
    }
    Semaphore inFlight = new Semaphore(options.connections() * 4);
    long interval = TimeUnit.SECONDS.toNanos(1) / options.rate();
    long start = System.nanoTime();
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (long i = 0; ; i++) {
      long intended = start + i * interval;
      if (intended >= end) {
        break;
      }
      long wait = intended - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      inFlight.acquire();
      CompletableFuture<?> f = next.apply(intended).whenComplete((r, e) -> inFlight.release());
      if (pending.size() < 100_000) {
        pending.add(f);
      }
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
        .orTimeout(70, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
  }
}
