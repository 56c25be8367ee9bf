package io.provisioninghub.console.upstream;

/**
 * The registry or the audit log did not answer, or answered in a way the console cannot use; the
 * customer sees the console's own 503 page, never the upstream body.
 */
public class UpstreamUnavailable extends RuntimeException {

  private final String service;

  public UpstreamUnavailable(String service, String message, Throwable cause) {
    super(service + ": " + message, cause);
    this.service = service;
  }

  public UpstreamUnavailable(String service, String message) {
    this(service, message, null);
  }

  /** {@code registry} or {@code audit-log}. */
  public String service() {
    return service;
  }
}
