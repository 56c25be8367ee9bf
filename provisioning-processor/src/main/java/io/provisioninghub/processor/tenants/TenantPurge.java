package io.provisioninghub.processor.tenants;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * A deleted tenant (one life of a tenant id) whose SCIM data is being or has been purged: its
 * commands are refused for good. Written by {@link TenantPurger}, read by {@link DeletedTenants}.
 */
@Entity
@Table(name = "tenant_purges", schema = "scim")
@IdClass(TenantPurgeKey.class)
public class TenantPurge extends PanacheEntityBase {

  @Id
  @Column(name = "tenant_id")
  public String tenantId;

  @Id
  @Column(name = "tenant_created_at")
  public OffsetDateTime tenantCreatedAt;

  @Column(name = "deletion_requested_at")
  public OffsetDateTime deletionRequestedAt;

  /** PURGING or PURGED. */
  public String state;

  @Column(name = "started_at")
  public OffsetDateTime startedAt;

  @Column(name = "purged_at")
  public OffsetDateTime purgedAt;

  @Column(name = "rows_deleted")
  public long rowsDeleted;
}
