package io.provisioninghub.audit.ingest;

import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;

/** One readable record of a batch, in topic order. */
public sealed interface IngestItem {

  record CommandSeen(ProvisioningCommand command) implements IngestItem {}

  record OutcomeSeen(ProvisioningOutcome outcome) implements IngestItem {}

  /** A record that could not be read: only its coordinates and the reason are kept. */
  record Skipped(String topic, int partition, long offset, String reason) implements IngestItem {}
}
