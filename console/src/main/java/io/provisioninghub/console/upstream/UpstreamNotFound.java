package io.provisioninghub.console.upstream;

/** The upstream knows no such thing in the session's tenant (e.g. a credential id). */
public class UpstreamNotFound extends RuntimeException {

  public UpstreamNotFound(String message) {
    super(message);
  }
}
