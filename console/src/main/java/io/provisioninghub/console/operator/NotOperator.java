package io.provisioninghub.console.operator;

/** A signed-in user without the operator role: the 403 page. */
public class NotOperator extends RuntimeException {

  public NotOperator() {
    super("signed in without the operator role", null, false, false);
  }
}
