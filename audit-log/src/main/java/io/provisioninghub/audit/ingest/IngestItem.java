package io.provisioninghub.audit.ingest;

import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import java.util.UUID;

/** One record of a batch, read or not, with where it came from. */
public sealed interface IngestItem {

  /**
   * Where the record is on its topic (all an operator needs to fetch it again) and the trace id of
   * its {@code traceparent} header, if it had one.
   */
  record Source(String topic, int partition, long offset, String traceId) {
    public Source(String topic, int partition, long offset) {
      this(topic, partition, offset, null);
    }
  }

  Source source();

  /** The command id the item is about, or null for a skipped record. */
  UUID commandId();

  record CommandSeen(Source source, ProvisioningCommand command) implements IngestItem {
    @Override
    public UUID commandId() {
      return command.commandId();
    }
  }

  record OutcomeSeen(Source source, ProvisioningOutcome outcome) implements IngestItem {
    @Override
    public UUID commandId() {
      return outcome.commandId();
    }
  }

  /** A command the processor dead-lettered: it will get no outcome. */
  record DeadLettered(Source source, ProvisioningCommand command) implements IngestItem {
    @Override
    public UUID commandId() {
      return command.commandId();
    }
  }

  /** A record that could not be read or stored: only its coordinates and the reason are kept. */
  record Skipped(Source source, String reason) implements IngestItem {
    @Override
    public UUID commandId() {
      return null;
    }
  }
}
