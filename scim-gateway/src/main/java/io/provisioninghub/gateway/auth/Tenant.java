package io.provisioninghub.gateway.auth;

import io.provisioninghub.contracts.PasswordPolicy;
import io.provisioninghub.contracts.TenantExtensions;
import io.provisioninghub.scim.schema.TenantSchemas;
import java.time.Instant;
import java.util.List;

/**
 * The tenant a request was authenticated as. Every read and command is scoped to it.
 *
 * @param id the tenant's id
 * @param passwordPolicy what its writes do with a SCIM password
 * @param createdAt when this tenant was created (which life of the id), stamped on every command so
 *     the processor can refuse the commands of a deleted tenant; null if its snapshot has none
 * @param schemas its own extension schemas and strict mode (docs/adr/0012): what discovery shows
 *     it, what its writes are checked against and what its filters may name
 * @param eventRedactions attribute names whose values its events leave out (docs/events.md)
 * @param source what its commands are recorded as coming from: {@code scim} for the tenant's own
 *     SCIM client, or the source named by one of our own source services' tokens ({@code graph};
 *     ADR 0022)
 */
public record Tenant(
    String id,
    PasswordPolicy passwordPolicy,
    Instant createdAt,
    TenantSchemas schemas,
    List<String> eventRedactions,
    String source) {

  public Tenant {
    source = source == null ? "scim" : source;
    passwordPolicy = passwordPolicy == null ? PasswordPolicy.IGNORE : passwordPolicy;
    schemas = schemas == null ? TenantSchemas.NONE : schemas;
    eventRedactions = eventRedactions == null ? List.of() : List.copyOf(eventRedactions);
  }

  /** A tenant as its own SCIM client acts for it. */
  public Tenant(
      String id,
      PasswordPolicy passwordPolicy,
      Instant createdAt,
      TenantSchemas schemas,
      List<String> eventRedactions) {
    this(id, passwordPolicy, createdAt, schemas, eventRedactions, null);
  }

  /** This tenant, written to by the given source. */
  public Tenant withSource(String source) {
    return new Tenant(id, passwordPolicy, createdAt, schemas, eventRedactions, source);
  }

  /** A tenant that redacts nothing from its events. */
  public Tenant(
      String id, PasswordPolicy passwordPolicy, Instant createdAt, TenantSchemas schemas) {
    this(id, passwordPolicy, createdAt, schemas, List.of());
  }

  /**
   * What its commands carry for the processor (ADR 0012): its extension schemas, strict mode and
   * event redactions; null when it declared none of them.
   */
  public TenantExtensions commandExtensions() {
    TenantExtensions declared = schemas.extensions();
    if (eventRedactions.isEmpty()) {
      return declared;
    }
    return declared == null
        ? new TenantExtensions(List.of(), false, eventRedactions)
        : new TenantExtensions(declared.schemas(), declared.strict(), eventRedactions);
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
