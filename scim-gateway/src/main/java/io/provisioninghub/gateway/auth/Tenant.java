package io.provisioninghub.gateway.auth;

import io.provisioninghub.contracts.PasswordPolicy;
import java.time.Instant;

/**
 * The tenant a request was authenticated as. Every read and command is scoped to it.
 *
 * @param id the tenant's id
 * @param passwordPolicy what its writes do with a SCIM password
 * @param createdAt when this tenant was created (which life of the id), stamped on every command so
 *     the processor can refuse the commands of a deleted tenant; null if its snapshot has none
 */
public record Tenant(String id, PasswordPolicy passwordPolicy, Instant createdAt) {

  public Tenant {
    passwordPolicy = passwordPolicy == null ? PasswordPolicy.IGNORE : passwordPolicy;
  }

  /** A tenant with the default password policy ({@code ignore}). */
  public Tenant(String id) {
    this(id, PasswordPolicy.IGNORE, null);
  }
}
