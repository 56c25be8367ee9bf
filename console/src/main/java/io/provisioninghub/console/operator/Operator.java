package io.provisioninghub.console.operator;

/**
 * The signed-in operator: the name from the ID token and the principal the console's service tokens
 * carry in {@code sub}/{@code upn}, so the registry's change log and the audit log's access log
 * record who acted.
 */
public record Operator(String name) {

  /** The subject of every service token signed for this operator. */
  public String principal() {
    return "console:operator:" + name;
  }
}
