package io.provisioninghub.webhooks.endpoints;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An endpoint as the admin API shows it: never its secret (only the create and rotate answers carry
 * it, once).
 *
 * @param tenantId the tenant whose events it receives, or null for every tenant
 * @param eventTypes the CloudEvent types it receives; empty for all
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Endpoint(
    UUID id,
    String tenantId,
    String url,
    List<String> eventTypes,
    boolean enabled,
    Instant createdAt,
    Instant updatedAt,
    Instant failingSince,
    String disabledReason,
    Instant disabledAt,
    Instant previousSecretValidUntil,
    String secret) {

  Endpoint withSecret(String secret) {
    return new Endpoint(
        id,
        tenantId,
        url,
        eventTypes,
        enabled,
        createdAt,
        updatedAt,
        failingSince,
        disabledReason,
        disabledAt,
        previousSecretValidUntil,
        secret);
  }

  /** Whether an event of this tenant and type is for this endpoint. */
  public boolean wants(String tenant, String type) {
    return enabled
        && (tenantId == null || tenantId.equals(tenant))
        && (eventTypes.isEmpty() || eventTypes.contains(type));
  }
}
