package io.provisioninghub.contracts;

/** How a command ended. */
public enum OutcomeStatus {
  /** The change was committed. */
  APPLIED,
  /** The command was valid but conflicts with the stored state (uniqueness, missing resource). */
  FAILED,
  /** The command was refused before anything was applied (bad input, authentication, limits). */
  REJECTED
}
