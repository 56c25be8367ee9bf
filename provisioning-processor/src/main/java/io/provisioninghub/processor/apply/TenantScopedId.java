package io.provisioninghub.processor.apply;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/** The composite primary key (tenant_id, id) of every SCIM resource table. */
public class TenantScopedId implements Serializable {

  public String tenantId;
  public UUID id;

  public TenantScopedId() {}

  public TenantScopedId(String tenantId, UUID id) {
    this.tenantId = tenantId;
    this.id = id;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TenantScopedId k
        && Objects.equals(tenantId, k.tenantId)
        && Objects.equals(id, k.id);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenantId, id);
  }
}
