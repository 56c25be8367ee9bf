package io.provisioninghub.console.setup;

import java.util.List;

/**
 * The connection panel: what the identity provider sent in the last hour, as the audit log saw it.
 * Also the JSON the page polls.
 */
public record Connection(
    String lastRequest,
    String lastRequestIso,
    long requests,
    long failures,
    String failureRate,
    String threshold,
    boolean atRisk,
    List<Problem> errors) {

  /** One kind of failure with its reason and recommended action. */
  public record Problem(String what, long count, String reason, String recommendedAction) {}
}
