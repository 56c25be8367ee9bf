package io.provisioninghub.console.upstream;

/**
 * The audit log refused a query as malformed (400): a cursor from an older page or an edited
 * address. The customer sees a 400 page asking to start again, not the upstream's wording.
 */
public class UpstreamRejected extends RuntimeException {

  public UpstreamRejected(String message) {
    super(message);
  }
}
