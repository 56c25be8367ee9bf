package io.provisioninghub.audit.error;

/** A request the support API cannot answer as asked; the message says what to change. */
public class BadRequest extends RuntimeException {

  private final String parameter;

  public BadRequest(String parameter, String message) {
    super(message);
    this.parameter = parameter;
  }

  public String parameter() {
    return parameter;
  }
}
