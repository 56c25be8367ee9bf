package io.provisioninghub.gateway.auth;

import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.scim.schema.TenantSchemas;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * A tenant's {@link TenantSchemas}, built once per snapshot revision rather than per request. The
 * registry validated the declarations with the same code; one that still fails here (a registry of
 * another version) is logged and the tenant served with the built-in schemas only, keeping its
 * strict mode.
 */
final class TenantSchemaCache {

  private static final Logger LOG = Logger.getLogger(TenantSchemaCache.class);
  private static final Map<String, Entry> BY_TENANT = new ConcurrentHashMap<>();

  private record Entry(long revision, TenantSchemas schemas) {}

  private TenantSchemaCache() {}

  static TenantSchemas of(TenantSnapshot snapshot) {
    if (snapshot.extensionSchemas().isEmpty() && !snapshot.strictExtensions()) {
      return TenantSchemas.NONE;
    }
    Entry cached = BY_TENANT.get(snapshot.tenantId());
    if (cached != null && cached.revision() == snapshot.revision()) {
      return cached.schemas();
    }
    TenantSchemas schemas;
    try {
      schemas = TenantSchemas.of(snapshot.extensionSchemas(), snapshot.strictExtensions());
    } catch (TenantSchemas.InvalidSchemaException e) {
      LOG.errorf(
          "tenant %s revision %d: extension schemas not applied: %s",
          snapshot.tenantId(), snapshot.revision(), e.getMessage());
      schemas = TenantSchemas.of(java.util.List.of(), snapshot.strictExtensions());
    }
    BY_TENANT.put(snapshot.tenantId(), new Entry(snapshot.revision(), schemas));
    return schemas;
  }
}
