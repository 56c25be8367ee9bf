package io.provisioninghub.gateway.auth;

import java.time.Instant;

/**
 * The tenant a request was authenticated as. Every read and command is scoped to it.
 *
 * @param id the tenant id
 * @param createdAt when this tenant was created (which life of the id), stamped on every command so
 *     the processor can refuse the commands of a deleted tenant; null if its snapshot has none
 */
public record Tenant(String id, Instant createdAt) {

  public Tenant(String id) {
    this(id, null);
  }
}
