package io.provisioninghub.processor.users;

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
 * A row of {@code scim.users}: the indexed columns plus the SCIM document (without meta/groups).
 */
@Entity
@Table(name = "users", schema = "scim")
@IdClass(TenantScopedId.class)
public class UserRecord extends PanacheEntityBase {

  @Id
  @Column(name = "tenant_id")
  public String tenantId;

  @Id public UUID id;

  @Column(name = "user_name")
  public String userName;

  @Column(name = "external_id")
  public String externalId;

  public boolean active;

  @Column(name = "display_name")
  public String displayName;

  // Bound as text and cast in SQL: a String bound straight to jsonb is stored as a JSON string.
  @ColumnTransformer(read = "resource::text", write = "cast(cast(? as text) as jsonb)")
  public String resource;

  /**
   * The Argon2id hash (PHC string) the gateway made of the user's password, for tenants whose
   * password policy is {@code hash}; null otherwise. Never part of {@link #resource}, so never
   * rendered or returned.
   */
  @Column(name = "password_hash")
  public String passwordHash;

  public long version;

  public OffsetDateTime created;

  @Column(name = "last_modified")
  public OffsetDateTime lastModified;
}
