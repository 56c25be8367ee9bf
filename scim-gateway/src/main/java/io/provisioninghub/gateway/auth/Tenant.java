package io.provisioninghub.gateway.auth;

import io.provisioninghub.contracts.PasswordPolicy;
import io.provisioninghub.scim.schema.TenantSchemas;
import java.time.Instant;

/**
 * The tenant a request was authenticated as. Every read and command is scoped to it.
 *
 * @param id the tenant's id
 * @param passwordPolicy what its writes do with a SCIM password
 * @param createdAt when this tenant was created (which life of the id), stamped on every command so
 *     the processor can refuse the commands of a deleted tenant; null if its snapshot has none
 * @param schemas its own extension schemas and strict mode (docs/adr/0012): what discovery shows
 *     it, what its writes are checked against and what its filters may name
 */
public record Tenant(
    String id, PasswordPolicy passwordPolicy, Instant createdAt, TenantSchemas schemas) {

  public Tenant {
    passwordPolicy = passwordPolicy == null ? PasswordPolicy.IGNORE : passwordPolicy;
    schemas = schemas == null ? TenantSchemas.NONE : schemas;
  }

  /** A tenant without extension schemas of its own. */
  public Tenant(String id, PasswordPolicy passwordPolicy, Instant createdAt) {
    this(id, passwordPolicy, createdAt, TenantSchemas.NONE);
  }

  /** A tenant with the default password policy ({@code ignore}). */
  public Tenant(String id) {
    this(id, PasswordPolicy.IGNORE, null);
  }
}
