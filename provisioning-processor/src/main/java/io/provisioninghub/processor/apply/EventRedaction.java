package io.provisioninghub.processor.apply;

import io.provisioninghub.contracts.ProvisioningCommand;
import java.util.List;

/** The attribute names whose values the command's tenant keeps out of events (docs/events.md). */
public final class EventRedaction {

  private EventRedaction() {}

  /** As declared when the gateway accepted the command; none for a tenant that declared none. */
  public static List<String> of(ProvisioningCommand command) {
    return command.extensions() == null ? List.of() : command.extensions().eventRedactions();
  }
}
