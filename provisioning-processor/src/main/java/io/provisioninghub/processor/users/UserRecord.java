package io.provisioninghub.processor.users;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row of {@code scim.users}: the indexed columns plus the SCIM document (without meta/groups).
 * Read and written by {@link UserRows}.
 */
public class UserRecord {

  public String tenantId;

  public UUID id;

  public String userName;

  public String externalId;

  public boolean active;

  public String displayName;

  /** The SCIM document as JSON text. */
  public String resource;

  /**
   * The Argon2id hash (PHC string) the gateway made of the user's password, for tenants whose
   * password policy is {@code hash}; null otherwise. Never part of {@link #resource}, so never
   * rendered or returned.
   */
  public String passwordHash;

  public long version;

  public OffsetDateTime created;

  public OffsetDateTime lastModified;
}
