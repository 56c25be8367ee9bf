package io.provisioninghub.console.session;

/** A customer page was asked for without a valid session cookie (none, expired or altered). */
public class NoSession extends RuntimeException {

  public NoSession() {
    super("no valid customer session");
  }
}
