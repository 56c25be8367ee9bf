package io.provisioninghub.processor.groups;

import io.provisioninghub.processor.apply.TenantScopedId;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A row of {@code scim.groups}: the indexed columns plus the SCIM document (without meta and
 * members).
 */
@Entity
@Table(name = "groups", schema = "scim")
@IdClass(TenantScopedId.class)
public class GroupRecord extends PanacheEntityBase {

  @Id
  @Column(name = "tenant_id")
  public String tenantId;

  @Id public UUID id;

  @Column(name = "external_id")
  public String externalId;

  @Column(name = "display_name")
  public String displayName;

  // Bound as text and cast in SQL: a String bound straight to jsonb is stored as a JSON string.
  @ColumnTransformer(read = "resource::text", write = "cast(cast(? as text) as jsonb)")
  public String resource;

  public long version;

  public OffsetDateTime created;

  @Column(name = "last_modified")
  public OffsetDateTime lastModified;
}
