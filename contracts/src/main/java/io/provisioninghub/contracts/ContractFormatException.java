package io.provisioninghub.contracts;

/** A record on a topic could not be read as the contract it should carry. */
public class ContractFormatException extends RuntimeException {

  public ContractFormatException(String message, Throwable cause) {
    super(message, cause);
  }

  public ContractFormatException(String message) {
    super(message);
  }
}
