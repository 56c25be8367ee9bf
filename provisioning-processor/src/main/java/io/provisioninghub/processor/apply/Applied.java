package io.provisioninghub.processor.apply;

import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.events.ProvisioningEvent;
import java.util.List;

/** What applying a command produced: the answer for the client and the events for everyone else. */
public record Applied(ProvisioningOutcome outcome, List<ProvisioningEvent> events) {

  public Applied {
    events = List.copyOf(events);
  }

  public static Applied answer(ProvisioningOutcome outcome) {
    return new Applied(outcome, List.of());
  }
}
