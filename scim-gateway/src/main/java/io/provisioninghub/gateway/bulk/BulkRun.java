package io.provisioninghub.gateway.bulk;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Runs the operations of one bulk request in an order its {@link BulkPlan} allows: up to {@code
 * concurrency} at once, each as soon as what it waits for has finished, in request order among
 * those ready. Stops starting operations once {@code failOnErrors} errors are counted (those not
 * started are left out of the response, RFC 7644 section 3.7.3) or once one was answered 503 (the
 * service cannot take more now; those not started are answered 503, nothing of them was sent).
 * Thread-safe: operations finish on whichever thread their outcome arrives on.
 */
final class BulkRun {

  /**
   * How one operation ended: its HTTP status, the resource id a POST created, the resource's
   * location and version where known, and the SCIM error body of a failure.
   */
  record Result(
      int status,
      String createdId,
      String location,
      String version,
      com.fasterxml.jackson.databind.node.ObjectNode response) {
    boolean failed() {
      return status >= 400;
    }
  }

  /** Runs one operation whose references are resolved ({@code bulkId} to resource id). */
  interface Executor extends BiFunction<BulkOperation, Map<String, String>, Uni<Result>> {}

  private final List<BulkPlan.Node> nodes;
  private final Executor executor;
  private final int concurrency;
  private final int failOnErrors;
  private final BiFunction<BulkOperation, Result, Result> dependencyFailed;

  private final Object lock = new Object();
  private final int[] waitingFor;
  private final List<List<Integer>> dependents = new ArrayList<>();
  private final Result[] results;
  private final boolean[] started;
  private final TreeSet<Integer> ready = new TreeSet<>();
  private final Map<String, String> resolved = new ConcurrentHashMap<>();
  private int inFlight;
  private int errors;
  private boolean stopped;
  private boolean unavailable;
  private boolean pumping;
  private boolean again;
  private boolean finished;
  private final io.smallrye.mutiny.subscription.UniEmitter<? super List<Result>>[] done;

  @SuppressWarnings("unchecked")
  BulkRun(
      BulkPlan plan,
      int concurrency,
      int failOnErrors,
      Executor executor,
      BiFunction<BulkOperation, Result, Result> dependencyFailed) {
    this.nodes = plan.nodes();
    this.executor = executor;
    this.concurrency = Math.max(1, concurrency);
    this.failOnErrors = failOnErrors;
    this.dependencyFailed = dependencyFailed;
    int n = nodes.size();
    this.waitingFor = new int[n];
    this.results = new Result[n];
    this.started = new boolean[n];
    this.done = new io.smallrye.mutiny.subscription.UniEmitter[1];
    for (int i = 0; i < n; i++) {
      dependents.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      BulkPlan.Node node = nodes.get(i);
      for (int w : node.references()) {
        dependents.get(w).add(i);
      }
      for (int w : node.after()) {
        dependents.get(w).add(i);
      }
      waitingFor[i] = node.references().size() + node.after().size();
      if (waitingFor[i] == 0 || node.operation().invalid() != null) {
        ready.add(i);
      }
    }
  }

  /**
   * Runs the operations; the item is each operation's result in request order, null for one that
   * was not started because {@code failOnErrors} was reached.
   */
  Uni<List<Result>> run(Result notAttempted) {
    return Uni.createFrom()
        .<List<Result>>emitter(
            emitter -> {
              synchronized (lock) {
                done[0] = emitter;
              }
              pump();
            })
        .map(
            list -> {
              if (!unavailable) {
                return list;
              }
              List<Result> filled = new ArrayList<>(list);
              for (int i = 0; i < filled.size(); i++) {
                if (filled.get(i) == null) {
                  filled.set(i, notAttempted);
                }
              }
              return filled;
            });
  }

  /** Starts what may start; re-entrant calls (an operation that finished at once) loop here. */
  private void pump() {
    synchronized (lock) {
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
    }
    while (true) {
      int next = -1;
      List<Result> complete = null;
      synchronized (lock) {
        if (!stopped && !ready.isEmpty() && inFlight < concurrency) {
          next = ready.pollFirst();
          started[next] = true;
          inFlight++;
        } else if (again) {
          again = false;
          continue;
        } else {
          pumping = false;
          complete = finishIfDone();
        }
      }
      if (next >= 0) {
        start(next);
        continue;
      }
      if (complete != null) {
        done[0].complete(complete);
      }
      return;
    }
  }

  private void start(int i) {
    BulkOperation op = nodes.get(i).operation();
    Uni<Result> running;
    try {
      running = executor.apply(op, Map.copyOf(resolved));
    } catch (RuntimeException e) {
      running = Uni.createFrom().failure(e);
    }
    running
        .subscribe()
        .with(
            r -> finished(i, r),
            e ->
                finished(
                    i,
                    new Result(
                        500,
                        null,
                        null,
                        null,
                        io.provisioninghub.scim.error.ScimErrors.body(
                            500, null, "internal error"))));
  }

  private void finished(int i, Result result) {
    List<Integer> failedDependents = new ArrayList<>();
    synchronized (lock) {
      results[i] = result;
      inFlight--;
      BulkOperation op = nodes.get(i).operation();
      if (result.failed()) {
        errors++;
        if (result.status() == 503) {
          unavailable = true;
          stopped = true;
        }
        if (failOnErrors > 0 && errors >= failOnErrors) {
          stopped = true;
        }
      } else if (op.bulkId() != null && result.createdId() != null) {
        resolved.put(op.bulkId(), result.createdId());
      }
      for (int d : dependents.get(i)) {
        if (started[d]) {
          continue;
        }
        if (result.failed() && nodes.get(d).references().contains(i)) {
          failedDependents.add(d);
        } else if (--waitingFor[d] == 0) {
          ready.add(d);
        }
      }
    }
    // An operation whose reference failed is answered without running, and counts as an error.
    for (int d : failedDependents) {
      synchronized (lock) {
        if (started[d] || stopped) {
          continue;
        }
        started[d] = true;
        inFlight++;
      }
      finished(d, dependencyFailed.apply(nodes.get(d).operation(), result));
    }
    pump();
  }

  /** Under the lock: every result, once nothing runs and nothing more may start; else null. */
  private List<Result> finishIfDone() {
    if (finished || inFlight > 0 || (!stopped && !ready.isEmpty()) || done[0] == null) {
      return null;
    }
    finished = true;
    List<Result> all = new ArrayList<>(results.length);
    for (Result r : results) {
      all.add(r);
    }
    return all;
  }
}
