package io.provisioninghub.processor.apply;

import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.scim.error.PreconditionFailedException;

/** The If-Match check: a command that names a version applies only to that version. */
public final class Preconditions {

  private Preconditions() {}

  public static void requireVersion(ProvisioningCommand command, long current) {
    Long expected = command.expectedVersion();
    if (expected != null && expected != current) {
      throw new PreconditionFailedException(
          "the resource is at version "
              + current
              + ", the request's If-Match names version "
              + expected);
    }
  }
}
