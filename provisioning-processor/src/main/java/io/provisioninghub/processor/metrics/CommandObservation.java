package io.provisioninghub.processor.metrics;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.provisioninghub.contracts.OutcomeStatus;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.MDC;

/**
 * One command's way through the processor: its apply time and result, its end-to-end latency, and
 * its logging and trace context. The result is recorded once, whichever way the command ends.
 */
public final class CommandObservation {

  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(CommandObservation.class);

  private final ApplyMetrics metrics;
  private final ProvisioningCommand command;
  private final Span span;
  private final Context trace;
  private final long start = System.nanoTime();
  private final AtomicBoolean recorded = new AtomicBoolean();

  CommandObservation(ApplyMetrics metrics, ProvisioningCommand command, Span span, Context trace) {
    this.metrics = metrics;
    this.command = command;
    this.span = span;
    this.trace = trace;
    enter();
  }

  /**
   * Makes this command's logging and trace context current. The commands of a batch share one
   * duplicated Vert.x context, which carries the MDC and the current OpenTelemetry context to every
   * continuation; each command enters its own before its statements run.
   */
  public void enter() {
    trace.makeCurrent();
    MDC.put("tenantId", command.tenantId());
    MDC.put("commandId", command.commandId().toString());
    if (command.clientRequestId() != null) {
      MDC.put("requestId", command.clientRequestId());
    } else {
      MDC.remove("requestId");
    }
  }

  /** The command's trace context, for the records sent on its behalf (outcome, events). */
  public Context trace() {
    return trace;
  }

  /** A transient failure that will be retried. */
  public void retrying(Throwable failure) {
    metrics.retried();
  }

  /** The command's transaction ended with this outcome (committed). */
  public void applied(ProvisioningOutcome outcome) {
    if (!recorded.compareAndSet(false, true)) {
      return;
    }
    boolean duplicate = metrics.wasDuplicate(command.commandId());
    String result =
        duplicate
            ? "duplicate"
            : outcome.status() == OutcomeStatus.APPLIED ? "applied" : "rejected";
    metrics.applyTimer(command, result).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    if (!duplicate) {
      Duration sinceReceipt = Duration.between(command.receivedAt(), Instant.now());
      if (!sinceReceipt.isNegative()) {
        metrics.endToEndTimer(command).record(sinceReceipt);
      }
    }
    LOG.debugf("%s %s command: %s", command.operation(), command.resourceType(), result);
    span.setAttribute("phub.result", result);
    span.end();
  }

  /** The command could not be applied and goes to the dead-letter topic. */
  public void failed(Throwable failure) {
    metrics.deadLettered("permanent_failure");
    if (!recorded.compareAndSet(false, true)) {
      return;
    }
    metrics.wasDuplicate(command.commandId());
    metrics.applyTimer(command, "failed").record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
    span.end();
  }
}
