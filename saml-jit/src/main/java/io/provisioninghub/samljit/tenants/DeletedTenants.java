package io.provisioninghub.samljit.tenants;

import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.samljit.Db;
import io.provisioninghub.support.tenants.DeletedTenantRows;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Removes what saml-jit stores for a tenant deleted in the registry: its identity provider with the
 * claim mapping (without it the tenant's SAML endpoints answer 404), the AuthnRequest ids it sent,
 * the assertion ids kept against replay and the users its sign-ins met, in one transaction, once
 * per life of the tenant id ({@code saml_jit.deleted_tenants}).
 */
@ApplicationScoped
public class DeletedTenants {

  static final List<String> TABLES =
      List.of("identity_providers", "authn_requests", "consumed_assertions", "users");

  private final Db db;

  public DeletedTenants(Db db) {
    this.db = db;
  }

  /** Rows removed per table; empty when this deletion was handled before (a redelivery). */
  public Optional<Map<String, Integer>> remove(TenantSnapshot deletion) {
    return db.inTransaction(c -> DeletedTenantRows.remove(c, "saml_jit", TABLES, deletion));
  }
}
