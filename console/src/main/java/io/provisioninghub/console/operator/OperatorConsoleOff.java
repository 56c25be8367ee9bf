package io.provisioninghub.console.operator;

/** No identity provider is configured ({@code quarkus.oidc.tenant-enabled=false}): a 404 page. */
public class OperatorConsoleOff extends RuntimeException {

  public OperatorConsoleOff() {
    super("the operator console is not configured", null, false, false);
  }
}
