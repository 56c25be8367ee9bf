package io.provisioninghub.registry.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON body of every admin API error (RFC 9457 style). {@code type} is there only where a
 * client switches on the kind of refusal (the setup-link redemption), and then ends in a stable
 * name, e.g. {@code urn:provisioninghub:problem:setup-link-expired}; every other answer has no
 * {@code type} member at all.
 */
public record Problem(
    @JsonInclude(JsonInclude.Include.NON_NULL) String type,
    int status,
    String title,
    String detail) {

  /** The namespace of every {@code type}; the name after it is the stable part. */
  public static final String TYPE_PREFIX = "urn:provisioninghub:problem:";
}
