package io.provisioninghub.gateway.auth;

import io.provisioninghub.contracts.PasswordPolicy;

/**
 * The tenant a request was authenticated as. Every read and command is scoped to it.
 *
 * @param id the tenant's id
 * @param passwordPolicy what its writes do with a SCIM password
 */
public record Tenant(String id, PasswordPolicy passwordPolicy) {

  public Tenant {
    passwordPolicy = passwordPolicy == null ? PasswordPolicy.IGNORE : passwordPolicy;
  }

  /** A tenant with the default password policy ({@code ignore}). */
  public Tenant(String id) {
    this(id, PasswordPolicy.IGNORE);
  }
}
