package io.provisioninghub.console.operator;

/** An operator's change that the registry or the dead-letter queue refused, with why. */
public class ActionRefused extends RuntimeException {

  public ActionRefused(String message) {
    super(message, null, false, false);
  }
}
