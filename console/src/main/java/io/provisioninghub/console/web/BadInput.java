package io.provisioninghub.console.web;

/** A parameter a customer page cannot use; the message says in plain words what to change. */
public class BadInput extends RuntimeException {

  public BadInput(String message) {
    super(message);
  }
}
