package io.provisioninghub.processor.tenants;

import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/** The primary key (tenant_id, tenant_created_at) of {@code scim.tenant_purges}. */
public class TenantPurgeKey implements Serializable {

  public String tenantId;
  public OffsetDateTime tenantCreatedAt;

  public TenantPurgeKey() {}

  @Override
  public boolean equals(Object o) {
    return o instanceof TenantPurgeKey k
        && Objects.equals(tenantId, k.tenantId)
        && Objects.equals(tenantCreatedAt, k.tenantCreatedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenantId, tenantCreatedAt);
  }
}
